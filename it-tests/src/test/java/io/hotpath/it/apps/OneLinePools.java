package io.hotpath.it.apps;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Pools created with their work queue in one expression on one line, as most programs write them.
 *
 * <p>{@code tasks <n>}: runs n tasks on one such pool, waits until they all ran and the pool is shut down.
 * {@code pipeline <seconds> <rate>}: three such pools in a row, fed at a fixed rate; every stage keeps up.
 * Both print {@code TRUTH} lines with what they did.
 */
public final class OneLinePools {
    private OneLinePools() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("tasks")) {
            tasks(Integer.parseInt(args[1]));
        } else {
            pipeline(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        }
    }

    private static void tasks(int n) throws InterruptedException {
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 0, SECONDS, new LinkedBlockingQueue<>());
        PoolRuns.runAndShutDown(pool, n);
        System.out.println("TRUTH tasks=" + pool.getCompletedTaskCount() + " queued="
                + pool.getQueue().size());
    }

    private static void pipeline(int seconds, int rate) throws InterruptedException {
        final ThreadPoolExecutor parse = new ThreadPoolExecutor(1, 1, 0, SECONDS, new LinkedBlockingQueue<>());
        final ThreadPoolExecutor enrich = new ThreadPoolExecutor(1, 1, 0, SECONDS, new LinkedBlockingQueue<>());
        final ThreadPoolExecutor deliver = new ThreadPoolExecutor(1, 1, 0, SECONDS, new LinkedBlockingQueue<>());
        final AtomicLong delivered = new AtomicLong();
        final long total = (long) seconds * rate;
        final long periodNanos = 1_000_000_000L / rate;
        final long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            final long due = start + i * periodNanos;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            parse.execute(() -> enrich.execute(() -> deliver.execute(delivered::incrementAndGet)));
        }
        parse.shutdown();
        parse.awaitTermination(10, TimeUnit.SECONDS);
        enrich.shutdown();
        enrich.awaitTermination(10, TimeUnit.SECONDS);
        deliver.shutdown();
        deliver.awaitTermination(10, TimeUnit.SECONDS);
        System.out.println("TRUTH sent=" + total + " delivered=" + delivered.get());
    }
}
