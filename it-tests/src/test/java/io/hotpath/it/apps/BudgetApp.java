package io.hotpath.it.apps;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Busy, idle, busy: a producer puts 100 messages a millisecond into a {@link LinkedBlockingQueue} that a consumer
 * takes from, for {@code busyMs}, then both rest for {@code idleMs}, then work again for {@code againMs}. Prints
 * {@code TRUTH budget in=N out=N}. Arguments: busyMs idleMs againMs.
 */
public final class BudgetApp {
    static final BlockingQueue<Integer> INBOX = new LinkedBlockingQueue<>();

    private BudgetApp() {}

    public static void main(String[] args) throws Exception {
        final long[] received = new long[1];
        final Thread consumer = new Thread(() -> {
            try {
                while (INBOX.take() >= 0) {
                    received[0]++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        consumer.start();
        long sent = work(Long.parseLong(args[0]));
        Thread.sleep(Long.parseLong(args[1]));
        System.out.println("PHASE again");
        sent += work(Long.parseLong(args[2]));
        INBOX.put(-1);
        consumer.join();
        // The end marker (-1) went through the queue too.
        System.out.println("TRUTH budget in=" + (sent + 1) + " out=" + (received[0] + 1));
    }

    private static long work(long millis) throws InterruptedException {
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long sent = 0;
        while (System.nanoTime() - end < 0) {
            for (int i = 0; i < 100; i++) {
                INBOX.put(i);
                sent++;
            }
            Thread.sleep(1);
        }
        return sent;
    }
}
