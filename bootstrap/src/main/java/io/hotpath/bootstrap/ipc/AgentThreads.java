package io.hotpath.bootstrap.ipc;

/**
 * The agent's own threads, so that the agent's network traffic (its OTLP export) is not counted as the application's.
 * Every agent thread that may open a connection is created in one {@link ThreadGroup}; threads started from such a
 * thread inherit the group, which covers threads the JDK starts on the agent's behalf (the selector and worker threads
 * of the {@code java.net.http.HttpClient} the exporter builds on an agent thread).
 *
 * <p>Asked once per connection, when it opens or is accepted ({@link Endpoints#excluded}), never per read or write: an
 * application thread pays nothing per operation beyond the endpoint lookup it already made.
 */
public final class AgentThreads {
    private static final ThreadGroup GROUP = new ThreadGroup("hotpath");

    private AgentThreads() {}

    /** Whether the calling thread is one of the agent's (or was started from one). */
    public static boolean current() {
        return Thread.currentThread().getThreadGroup() == GROUP;
    }

    /** A new daemon thread in the agent's group, not started. */
    public static Thread newThread(Runnable task, String name) {
        final Thread t = new Thread(GROUP, task, name);
        t.setDaemon(true);
        return t;
    }
}
