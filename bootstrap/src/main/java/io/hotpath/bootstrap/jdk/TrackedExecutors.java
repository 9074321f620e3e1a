package io.hotpath.bootstrap.jdk;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Executors} factories that build a {@link java.util.concurrent.ThreadPoolExecutor} or {@link
 * java.util.concurrent.ScheduledThreadPoolExecutor}, built on the tracked pools instead. The agent rewrites {@code
 * Executors.newFixedThreadPool(n)} into {@code TrackedExecutors.newFixedThreadPool(n, probeId)}; each method takes the
 * JDK method's parameters plus the probe id, returns the same type, and configures the pool exactly as the JDK does
 * (same sizes, keep-alive, queue type, thread factory, rejection policy; identical in JDK 17 and 25).
 *
 * <p>One difference, in the single-thread executors only: the JDK wraps the pool in a package-private delegate that
 * hides reconfiguration and also shuts the pool down when the wrapper becomes unreachable (a finalizer in JDK 17, a
 * Cleaner in JDK 21+). The tracked versions use {@link Executors#unconfigurableExecutorService}, which hides
 * reconfiguration the same way but does not shut the pool down on garbage collection: a program that drops a
 * single-thread executor without shutting it down keeps its (idle) worker thread. The single-thread scheduled
 * executors are wrapped exactly as the JDK does ({@link Executors#unconfigurableScheduledExecutorService} is that
 * wrapper).
 */
public final class TrackedExecutors {
    private TrackedExecutors() {}

    /** As {@link Executors#newFixedThreadPool(int)}. */
    public static ExecutorService newFixedThreadPool(int nThreads, int probeId) {
        return new TrackedThreadPoolExecutor(
                nThreads, nThreads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<Runnable>(), probeId);
    }

    /** As {@link Executors#newFixedThreadPool(int, ThreadFactory)}. */
    public static ExecutorService newFixedThreadPool(int nThreads, ThreadFactory threadFactory, int probeId) {
        return new TrackedThreadPoolExecutor(
                nThreads,
                nThreads,
                0L,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<Runnable>(),
                threadFactory,
                probeId);
    }

    /**
     * As {@link Executors#newSingleThreadExecutor()}, except that the pool is not shut down when the returned executor
     * is garbage collected (see the class comment).
     */
    public static ExecutorService newSingleThreadExecutor(int probeId) {
        return Executors.unconfigurableExecutorService(new TrackedThreadPoolExecutor(
                1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<Runnable>(), probeId));
    }

    /**
     * As {@link Executors#newSingleThreadExecutor(ThreadFactory)}, except that the pool is not shut down when the
     * returned executor is garbage collected (see the class comment).
     */
    public static ExecutorService newSingleThreadExecutor(ThreadFactory threadFactory, int probeId) {
        return Executors.unconfigurableExecutorService(new TrackedThreadPoolExecutor(
                1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<Runnable>(), threadFactory, probeId));
    }

    /** As {@link Executors#newCachedThreadPool()}. */
    public static ExecutorService newCachedThreadPool(int probeId) {
        return new TrackedThreadPoolExecutor(
                0, Integer.MAX_VALUE, 60L, TimeUnit.SECONDS, new SynchronousQueue<Runnable>(), probeId);
    }

    /** As {@link Executors#newCachedThreadPool(ThreadFactory)}. */
    public static ExecutorService newCachedThreadPool(ThreadFactory threadFactory, int probeId) {
        return new TrackedThreadPoolExecutor(
                0, Integer.MAX_VALUE, 60L, TimeUnit.SECONDS, new SynchronousQueue<Runnable>(), threadFactory, probeId);
    }

    /** As {@link Executors#newSingleThreadScheduledExecutor()}. */
    public static ScheduledExecutorService newSingleThreadScheduledExecutor(int probeId) {
        return Executors.unconfigurableScheduledExecutorService(new TrackedScheduledThreadPoolExecutor(1, probeId));
    }

    /** As {@link Executors#newSingleThreadScheduledExecutor(ThreadFactory)}. */
    public static ScheduledExecutorService newSingleThreadScheduledExecutor(ThreadFactory threadFactory, int probeId) {
        return Executors.unconfigurableScheduledExecutorService(
                new TrackedScheduledThreadPoolExecutor(1, threadFactory, probeId));
    }

    /** As {@link Executors#newScheduledThreadPool(int)}. */
    public static ScheduledExecutorService newScheduledThreadPool(int corePoolSize, int probeId) {
        return new TrackedScheduledThreadPoolExecutor(corePoolSize, probeId);
    }

    /** As {@link Executors#newScheduledThreadPool(int, ThreadFactory)}. */
    public static ScheduledExecutorService newScheduledThreadPool(
            int corePoolSize, ThreadFactory threadFactory, int probeId) {
        return new TrackedScheduledThreadPoolExecutor(corePoolSize, threadFactory, probeId);
    }
}
