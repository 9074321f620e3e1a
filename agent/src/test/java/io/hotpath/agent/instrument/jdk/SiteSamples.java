package io.hotpath.agent.instrument.jdk;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Construction sites the rewrite must handle; compiled normally, rewritten and loaded anew by the test. */
public class SiteSamples {
    static final Queue<String> STATIC_QUEUE = new ConcurrentLinkedQueue<>();

    final BlockingQueue<String> inbox = new ArrayBlockingQueue<>(16);
    final ExecutorService workers = Executors.newFixedThreadPool(1);

    /** A local, a nested construction, a pool with a queue argument, a ternary argument. */
    public List<Object> build(boolean fair) {
        final BlockingQueue<Integer> local = new LinkedBlockingQueue<>();
        final ArrayBlockingQueue<Integer> nested =
                new ArrayBlockingQueue<>(8, fair, new ArrayBlockingQueue<Integer>(fair ? 2 : 3));
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(
                1, 2, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4), new ThreadPoolExecutor.CallerRunsPolicy());
        pool.shutdown();
        workers.shutdown();
        return List.of(local, nested, pool, pool.getQueue(), inbox, STATIC_QUEUE, workers);
    }

    /** A pool and its work queue in one expression on one line; two queues in one expression on one line. */
    public List<Object> oneLine() {
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        final List<Object> pair = List.of(new ArrayBlockingQueue<>(1), new ArrayBlockingQueue<>(2));
        pool.shutdown();
        return List.of(pool, pool.getQueue(), pair.get(0), pair.get(1));
    }
}
