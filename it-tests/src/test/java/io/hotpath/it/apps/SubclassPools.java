package io.hotpath.it.apps;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Classes that extend a JDK pool and queue, as frameworks and in-house executors do, each overriding hooks: runs
 * {@code n} tasks through the pool and {@code n} elements through the queue, then prints {@code TRUTH} with what the
 * overrides counted and {@code SUPER} with the superclasses the JVM reports.
 */
public final class SubclassPools {
    private SubclassPools() {}

    /** Counts in overrides of execute (calls super), beforeExecute (does not) and afterExecute (does). */
    public static final class CountingPool extends ThreadPoolExecutor {
        final AtomicLong executed = new AtomicLong();
        final AtomicLong before = new AtomicLong();
        final AtomicLong after = new AtomicLong();

        public CountingPool(int threads) {
            super(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        }

        @Override
        public void execute(Runnable command) {
            executed.incrementAndGet();
            super.execute(command);
        }

        @Override
        protected void beforeExecute(Thread t, Runnable r) {
            before.incrementAndGet();
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            super.afterExecute(r, t);
            after.incrementAndGet();
        }
    }

    /** Counts offers in an override that calls super. */
    public static final class Inbox extends ArrayBlockingQueue<String> {
        private static final long serialVersionUID = 1L;
        final transient AtomicLong offered = new AtomicLong();

        public Inbox(int capacity) {
            super(capacity);
        }

        @Override
        public boolean offer(String e) {
            offered.incrementAndGet();
            return super.offer(e);
        }
    }

    public static void main(String[] args) throws Exception {
        final int n = Integer.parseInt(args[0]);
        final CountingPool pool = new CountingPool(2);
        PoolRuns.runAndShutDown(pool, n);
        final Inbox inbox = new Inbox(16);
        long polled = 0;
        for (int i = 0; i < n; i++) {
            inbox.offer("m");
            if (inbox.poll() != null) {
                polled++;
            }
        }
        System.out.println("TRUTH executed=" + pool.executed + " before=" + pool.before + " after=" + pool.after
                + " completed=" + pool.getCompletedTaskCount() + " offered=" + inbox.offered + " polled=" + polled);
        System.out.println("SUPER pool=" + CountingPool.class.getSuperclass().getName() + " inbox="
                + Inbox.class.getSuperclass().getName() + " generic=" + Inbox.class.getGenericSuperclass());
    }
}
