package io.hotpath.it.apps;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Programs nobody wrote for the analyzer, with a fault whose root cause is known. Prints {@code FAULT-ONSET <name>
 * <epochMillis>} when the fault starts and {@code TRUTH ...} lines at the end.
 *
 * <ul>
 *   <li>{@code independent <seconds> <onsetSeconds>}: two paths that share nothing, overloaded by one traffic spike
 *       at the same instant: a pool of two threads whose tasks sleep (saturated: tasks wait in its work queue), and a
 *       handoff queue of 1,000 whose one consumer cannot keep up, so about half the offers are refused.
 *   <li>{@code three-stage <seconds> <onsetSeconds> <middleCapacity>}: producer → stage 1 → stage 2 → stage 3 over
 *       three bounded queues; at the onset stage 2 slows down. Stage 1 then blocks on its put to stage 2's queue and
 *       its own queue fills (the producer's offers are refused): the constraint is stage 2 whichever finding is
 *       confirmed first. A small middle queue makes stage 2's queue full at once (a back-pressure finding on it);
 *       a large one makes it grow (a saturation finding) while the first queue fills behind it.
 * </ul>
 */
public final class PipelineFaults {
    private static volatile boolean running = true;
    private static volatile boolean fault;

    private PipelineFaults() {}

    public static void main(String[] args) throws Exception {
        final long seconds = Long.parseLong(args[1]);
        final long onset = Long.parseLong(args[2]);
        switch (args[0]) {
            case "independent" -> independent(seconds, onset);
            case "three-stage" -> threeStage(seconds, onset, Integer.parseInt(args[3]));
            default ->
                throw new IllegalArgumentException(
                        "unknown scenario '" + args[0] + "': use independent or three-stage");
        }
    }

    private static Thread daemon(String name, Runnable r) {
        final Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Runs {@code perSecond} calls of {@code r} a second in 10 ms steps; {@code spike} times as many once the fault is on. */
    private static void paced(int perSecond, int spike, Runnable r) {
        long next = System.nanoTime();
        while (running) {
            final int n = Math.max(1, (fault ? perSecond * spike : perSecond) / 100);
            for (int i = 0; i < n; i++) {
                r.run();
            }
            next += 10_000_000L;
            final long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private static void sleepMicros(long micros) {
        LockSupport.parkNanos(micros * 1000L);
    }

    private static void onsetAfter(long onsetSeconds) throws InterruptedException {
        Thread.sleep(onsetSeconds * 1000L);
        fault = true;
        System.out.println("FAULT-ONSET spike " + System.currentTimeMillis());
    }

    private static void independent(long seconds, long onsetSeconds) throws Exception {
        // Path 1: a pool of two threads, 1 ms per task: 2,000 tasks/s flat out; 200/s before the spike (a tenth of it,
        // so that a
        // busy machine does not tip it over early), 4,000/s after.
        final ExecutorService pool =
                new ThreadPoolExecutor(2, 2, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
        final AtomicLong submitted = new AtomicLong();
        daemon(
                "pool-producer",
                () -> paced(200, 20, () -> {
                    pool.execute(() -> sleepMicros(1000));
                    submitted.incrementAndGet();
                }));
        // Path 2: a handoff queue of 1,000; one consumer taking one element per 500 us (2,000/s flat out, less with
        // the park's slack); 500/s before the spike, 8,000/s after.
        final BlockingQueue<Integer> handoff = new ArrayBlockingQueue<>(1000);
        final AtomicLong refused = new AtomicLong();
        final AtomicLong offered = new AtomicLong();
        daemon(
                "handoff-producer",
                () -> paced(500, 16, () -> {
                    offered.incrementAndGet();
                    if (!handoff.offer(1)) {
                        refused.incrementAndGet();
                    }
                }));
        daemon("handoff-consumer", () -> {
            try {
                while (running) {
                    handoff.take();
                    sleepMicros(500);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        onsetAfter(onsetSeconds);
        Thread.sleep((seconds - onsetSeconds) * 1000L);
        running = false;
        pool.shutdownNow();
        System.out.println(
                "TRUTH submitted=" + submitted.get() + " offered=" + offered.get() + " refused=" + refused.get());
    }

    private static void threeStage(long seconds, long onsetSeconds, int middleCapacity) throws Exception {
        final BlockingQueue<Integer> first = new ArrayBlockingQueue<>(2000);
        final BlockingQueue<Integer> middle = new ArrayBlockingQueue<>(middleCapacity);
        final BlockingQueue<Integer> last = new ArrayBlockingQueue<>(2000);
        final AtomicLong refused = new AtomicLong();
        daemon(
                "producer",
                () -> paced(2000, 1, () -> {
                    if (!first.offer(1)) {
                        refused.incrementAndGet();
                    }
                }));
        daemon("stage-1", () -> relay(first, middle, 0));
        daemon("stage-2", () -> relay(middle, last, -1));
        daemon("stage-3", () -> {
            try {
                while (running) {
                    last.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        onsetAfter(onsetSeconds);
        Thread.sleep((seconds - onsetSeconds) * 1000L);
        running = false;
        System.out.println("TRUTH refused=" + refused.get());
    }

    /** Takes from {@code in} and puts to {@code out}; the slow stage (-1) takes 1 ms per element once the fault is on. */
    private static void relay(BlockingQueue<Integer> in, BlockingQueue<Integer> out, int slow) {
        try {
            while (running) {
                final Integer e = in.take();
                if (slow < 0 && fault) {
                    sleepMicros(1000);
                }
                out.put(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
