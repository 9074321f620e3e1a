package io.hotpath.bootstrap.ipc;

/**
 * A one-shot signal that the application itself has started to use a JDK class the agent's own threads loaded first.
 *
 * <p>The agent prepares its socket advice only once the application touches the network, because the preparation
 * (Byte Buddy and its matchers) costs a few hundred milliseconds of CPU and tens of MiB. The agent's OTLP exporter
 * loads {@code sun.nio.ch.SocketChannelImpl} on its own thread long before most programs open a socket of their own;
 * that class is then defined with one static call to {@link #constructed} at the end of each constructor instead of
 * the full advice. The first application thread that constructs one runs the armed action, which prepares the advice
 * and retransforms the class (threads that come meanwhile wait for it, as they would for a class being defined), so
 * the object under construction and every later one are counted; once the retransformation has replaced the call with
 * the advice, nothing of this remains.
 */
public final class FirstUse {
    private static volatile Runnable armed;

    /**
     * Instances the agent's own threads constructed while armed (its exporter's connections, a handful): they opened
     * before any advice could mark them as the agent's, so they are marked when the advice is swapped in. Bounded;
     * weakly held.
     */
    private static final int MAX_AGENT_INSTANCES = 64;

    private static final java.util.List<java.lang.ref.WeakReference<Object>> AGENT_INSTANCES =
            new java.util.ArrayList<>();

    private FirstUse() {}

    /**
     * Arms the action application threads run from {@link #constructed} until it is disarmed ({@code null}). The action
     * must be safe to run from several threads at once and do its work once; it disarms itself when done.
     */
    public static void arm(Runnable action) {
        armed = action;
    }

    /** Whether an action is armed and has not run. */
    public static boolean armed() {
        return armed != null;
    }

    /**
     * Called at the end of the constructors of JDK classes the agent loaded first: remembers the agent's own instances,
     * runs the armed action on an application thread. Never throws.
     */
    public static void constructed(Object instance) {
        if (armed == null) {
            return;
        }
        if (AgentThreads.current()) {
            synchronized (AGENT_INSTANCES) {
                AGENT_INSTANCES.removeIf(r -> r.get() == null);
                if (AGENT_INSTANCES.size() < MAX_AGENT_INSTANCES) {
                    AGENT_INSTANCES.add(new java.lang.ref.WeakReference<>(instance));
                }
            }
            return;
        }
        touched();
    }

    /** The agent's own instances constructed while armed that are still reachable. */
    public static java.util.List<Object> agentInstances() {
        synchronized (AGENT_INSTANCES) {
            final java.util.List<Object> out = new java.util.ArrayList<>();
            for (java.lang.ref.WeakReference<Object> r : AGENT_INSTANCES) {
                final Object o = r.get();
                if (o != null) {
                    out.add(o);
                }
            }
            return out;
        }
    }

    /**
     * Called from the constructors of JDK classes the agent loaded first. Runs the armed action on application
     * threads (never an agent thread) while it is armed; never throws.
     */
    private static void touched() {
        final Runnable action = armed;
        if (action == null || AgentThreads.current()) {
            return;
        }
        try {
            action.run();
        } catch (Throwable t) {
            // The action reports its own failures; the application's constructor goes on regardless.
        }
    }
}
