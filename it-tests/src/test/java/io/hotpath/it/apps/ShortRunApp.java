package io.hotpath.it.apps;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A program that runs for about half a second: one producer and one consumer pass messages through an
 * {@link ArrayBlockingQueue}, then it prints {@code TRUTH short enqueued=N dequeued=N} and returns at once; the exit
 * measures how long the JVM takes to go once main returned. Argument: run time in milliseconds (default 500).
 */
public final class ShortRunApp {
    private ShortRunApp() {}

    public static void main(String[] args) throws Exception {
        final long runNanos = TimeUnit.MILLISECONDS.toNanos(args.length > 0 ? Long.parseLong(args[0]) : 500);
        final BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(256);
        final long[] received = new long[1];
        final Thread consumer = new Thread(() -> {
            try {
                while (queue.take() >= 0) {
                    received[0]++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        consumer.start();
        final long start = System.nanoTime();
        long sent = 0;
        while (System.nanoTime() - start < runNanos) {
            for (int i = 0; i < 100; i++) {
                queue.put(i);
                sent++;
            }
            Thread.sleep(1);
        }
        queue.put(-1);
        consumer.join();
        // The end marker (-1) went through the queue too.
        System.out.println("TRUTH short enqueued=" + (sent + 1) + " dequeued=" + (received[0] + 1) + " queue="
                + queue.getClass().getName());
        System.out.println("MAIN_RETURNS_AT_MS " + System.currentTimeMillis());
    }
}
