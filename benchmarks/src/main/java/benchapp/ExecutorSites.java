package benchapp;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where the executor benchmark's "application" creates its pool: a plain {@code new ThreadPoolExecutor(...)} with a
 * {@code new LinkedBlockingQueue<>()}, both construction sites the agent rewrites in user code (see
 * {@link QueueSites} for why this is outside {@code io.hotpath}).
 */
public final class ExecutorSites {
    private ExecutorSites() {}

    /** A pool of one worker thread over an unbounded work queue. */
    public static ThreadPoolExecutor singleWorker() {
        final ThreadPoolExecutor pool =
                new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<Runnable>());
        pool.prestartAllCoreThreads();
        return pool;
    }
}
