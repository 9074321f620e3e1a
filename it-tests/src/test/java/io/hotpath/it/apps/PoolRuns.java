package io.hotpath.it.apps;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** What the pool test applications do with a pool once they built it (the construction is what each tests). */
final class PoolRuns {
    private PoolRuns() {}

    /** Runs {@code n} empty tasks on {@code pool}, waits for them, then shuts the pool down and waits for that too. */
    static void runAndShutDown(ThreadPoolExecutor pool, int n) throws InterruptedException {
        final CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            pool.execute(done::countDown);
        }
        done.await();
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pool did not terminate");
        }
    }
}
