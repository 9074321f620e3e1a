package io.hotpath.it.apps;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;

/**
 * What the first-use programs share: a JFR recording of the waits an application thread could suffer (monitor enters
 * and, when asked, parks of 1 ms or more, with stack traces) and of thread starts, and worker threads that start together and repeat one
 * socket operation for a given time, counting it.
 */
final class FirstUseWorkers {
    /** One operation of worker {@code worker}; {@code first} on its first round. */
    interface Round {
        void run(int worker, boolean first) throws Exception;
    }

    private final Recording recording = new Recording();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong rounds = new AtomicLong();

    /** Starts recording waits ({@code parks}: thread parks as well as monitor enters). */
    FirstUseWorkers(boolean parks) {
        if (parks) {
            recording
                    .enable("jdk.ThreadPark")
                    .withThreshold(Duration.ofMillis(1))
                    .withStackTrace();
        }
        recording
                .enable("jdk.JavaMonitorEnter")
                .withThreshold(Duration.ofMillis(1))
                .withStackTrace();
        // Which thread started each thread: the agent's threads must be started by its own.
        recording.enable("jdk.ThreadStart");
        recording.start();
    }

    /** Starts {@code count} threads named {@code prefix}N that run {@code round} together for {@code ms}. */
    FirstUseWorkers start(int count, String prefix, long ms, Round round) {
        final CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < count; i++) {
            final int worker = i;
            final Thread t = new Thread(
                    () -> {
                        try {
                            go.await();
                            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
                            for (boolean first = true; System.nanoTime() < end; first = false) {
                                round.run(worker, first);
                                rounds.incrementAndGet();
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    prefix + i);
            threads.add(t);
            t.start();
        }
        go.countDown();
        return this;
    }

    /** Waits for the workers, writes the recording to {@code jfr}, and returns how many rounds they ran. */
    long finish(Path jfr) throws Exception {
        for (Thread t : threads) {
            t.join();
        }
        recording.stop();
        recording.dump(jfr);
        return rounds.get();
    }
}
