package io.hotpath.benchmarks.footprint;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The short program of benchmarks/footprint.sh: passes messages through an {@link ArrayBlockingQueue} for the given
 * milliseconds (0: one message, a hello world), prints how many, and prints the wall-clock millisecond at which main
 * returns, so the script can tell how long the JVM took to exit after it.
 */
public final class ShortRun {
    private ShortRun() {}

    public static void main(String[] args) throws InterruptedException {
        final long runNanos = Long.parseLong(args[0]) * 1_000_000L;
        final BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(256);
        final long start = System.nanoTime();
        long sent = 0;
        do {
            for (int i = 0; i < 100; i++) {
                queue.put(i);
                queue.take();
                sent++;
            }
            if (runNanos > 0) {
                Thread.sleep(1);
            }
        } while (System.nanoTime() - start < runNanos);
        System.out.println("sent=" + sent + " queue=" + queue.getClass().getName());
        System.out.println("main returns " + System.currentTimeMillis());
    }
}
