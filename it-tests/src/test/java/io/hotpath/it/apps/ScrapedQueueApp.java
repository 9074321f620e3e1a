package io.hotpath.it.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A queue whose totals a scrape can be checked against: a producer puts {@code messages} through one named
 * {@link ArrayBlockingQueue} to a consumer, then the app writes its ground truth ({@code queued=N}) to {@code truth}
 * and stays alive, producing nothing more, until {@code stop} exists or {@code linger} seconds passed.
 *
 * <p>Arguments: {@code messages truth stop lingerSeconds}.
 */
public final class ScrapedQueueApp {
    private ScrapedQueueApp() {}

    public static void main(String[] args) throws Exception {
        final int messages = Integer.parseInt(args[0]);
        final Path truth = Path.of(args[1]);
        final Path stop = Path.of(args[2]);
        final long lingerNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        final BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(256);
        final long[] consumed = new long[1];
        final Thread consumer = new Thread(() -> {
            try {
                for (int i = 0; i < messages; i++) {
                    queue.take();
                    consumed[0]++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        consumer.start();
        long queued = 0;
        for (int i = 0; i < messages; i++) {
            queue.put(i);
            queued++;
        }
        consumer.join();
        final Path tmp = Path.of(truth + ".tmp");
        Files.writeString(tmp, "queued=" + queued + "\nconsumed=" + consumed[0] + "\n");
        Files.move(tmp, truth, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        final long until = System.nanoTime() + lingerNanos;
        while (!Files.exists(stop) && System.nanoTime() - until < 0) {
            Thread.sleep(50);
        }
    }
}
