package io.hotpath.exporter.otlp;

import io.hotpath.bootstrap.ipc.AgentThreads;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names the exporter's threads {@code hotpath-<role>-<n>}, makes them daemons, so they never hold JVM exit, and puts
 * them in the agent's thread group, so connections they open are not counted as the application's.
 */
public final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();

    /** Threads named {@code hotpath-<role>-<n>}. */
    public DaemonThreads(String role) {
        this.prefix = "hotpath-" + role + "-";
    }

    @Override
    public Thread newThread(Runnable r) {
        return AgentThreads.newThread(r, prefix + next.getAndIncrement());
    }
}
