package io.hotpath.it.apps;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An overloaded pool with {@link ThreadPoolExecutor.CallerRunsPolicy}: one thread submits tasks of 1 ms to two
 * workers with a work queue of 4 for {@code <seconds>}, so most tasks come back and run on the submitting thread. A
 * scheduled pool runs a task every 10 ms meanwhile. Prints {@code TRUTH} with what the application itself counted:
 * tasks submitted, run on the submitting thread, run by the workers, and the periodic task's runs.
 */
public final class CallerRunsPool {
    private CallerRunsPool() {}

    public static void main(String[] args) throws Exception {
        final long seconds = Long.parseLong(args[0]);
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(
                2, 2, 0, MILLISECONDS, new ArrayBlockingQueue<>(4), new ThreadPoolExecutor.CallerRunsPolicy());
        final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        final AtomicLong periodic = new AtomicLong();
        timer.scheduleAtFixedRate(periodic::incrementAndGet, 0, 10, MILLISECONDS);

        final Thread submitter = Thread.currentThread();
        final AtomicLong onCaller = new AtomicLong();
        final AtomicLong onWorkers = new AtomicLong();
        long submitted = 0;
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            pool.execute(() -> {
                LockSupport.parkNanos(1_000_000L);
                (Thread.currentThread() == submitter ? onCaller : onWorkers).incrementAndGet();
            });
            submitted++;
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        // Stop the timer between two runs, so that every run it started has ended.
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        System.out.println("TRUTH submitted=" + submitted + " caller_ran=" + onCaller.get() + " worker_ran="
                + onWorkers.get() + " periodic_runs=" + periodic.get());
    }
}
