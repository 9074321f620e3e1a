package io.hotpath.exporter.otlp;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names the exporter's threads {@code hotpath-<role>-<n>} and makes them daemons, so they never hold JVM exit. */
public final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();

    /** Threads named {@code hotpath-<role>-<n>}. */
    public DaemonThreads(String role) {
        this.prefix = "hotpath-" + role + "-";
    }

    @Override
    public Thread newThread(Runnable r) {
        final Thread t = new Thread(r, prefix + next.getAndIncrement());
        t.setDaemon(true);
        return t;
    }
}
