package io.hotpath.bootstrap.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Test helpers: fresh probes, readable counter assertions, waiting for a counter. */
final class Counters {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Counters() {}

    // The probes time every call (mask 0, as the cold side sets for a probe this slow), so timed counts are exact.

    static Probe queueProbe(String name) {
        final Probe p = Probes.register(
                "test." + name + "." + SEQ.incrementAndGet(),
                PathKind.QUEUE,
                Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT) | Dist.bit(Dist.SIZE));
        p.sampleMask(0);
        return p;
    }

    static Probe executorProbe(String name) {
        final Probe p = Probes.register(
                "test." + name + "." + SEQ.incrementAndGet(),
                PathKind.EXECUTOR,
                Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT));
        p.sampleMask(0);
        return p;
    }

    /**
     * Asserts every counter of the probe: those named in {@code expected} ("in=3 out=2") have the given values, all
     * others are zero. Compared as one map so a failure shows the whole picture.
     */
    static void assertCounts(Probe p, String expected) {
        final Map<String, Long> want = new LinkedHashMap<>();
        for (int slot = 0; slot < Slot.COUNT; slot++) {
            want.put(Slot.name(slot), 0L);
        }
        for (String pair : expected.trim().split("\\s+")) {
            if (pair.isEmpty()) {
                continue;
            }
            final String[] kv = pair.split("=");
            assertThat(want).as("unknown counter %s", kv[0]).containsKey(kv[0]);
            want.put(kv[0], Long.parseLong(kv[1]));
        }
        assertThat(actual(p)).isEqualTo(want);
    }

    static Map<String, Long> actual(Probe p) {
        final Map<String, Long> got = new LinkedHashMap<>();
        for (int slot = 0; slot < Slot.COUNT; slot++) {
            got.put(Slot.name(slot), p.total(slot));
        }
        return got;
    }

    /** How many values a distribution holds. */
    static long distCount(Probe p, int dist) {
        final long[] h = new long[BucketHistogram.LENGTH];
        if (!p.readDist(dist, h)) {
            return 0L;
        }
        long n = 0;
        for (int b = 0; b < BucketHistogram.BUCKETS; b++) {
            n += h[b];
        }
        return n;
    }

    /** The body of one test thread. */
    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }

    /** Runs each task on a thread of its own, all started together; waits for all, then fails with the first throw. */
    static void runConcurrently(List<Task> tasks) throws InterruptedException {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        for (Task task : tasks) {
            threads.add(new Thread(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failure.get()).as("the first failure of a test thread").isNull();
    }

    /**
     * One blocking call made on a thread of its own, started at once, so that the test can wait for it to block and
     * then release it. What the call threw is kept, not lost with the thread, so that a call that should have
     * returned fails the test.
     */
    static final class Call<T> {
        final Thread thread;
        private final AtomicReference<T> returned = new AtomicReference<>();
        private final AtomicReference<Throwable> threw = new AtomicReference<>();

        private Call(Callable<T> body) {
            thread = new Thread(() -> {
                try {
                    returned.set(body.call());
                } catch (Throwable t) {
                    threw.set(t);
                }
            });
            thread.start();
        }

        /** Waits for the call to end and gives what it returned; fails if it threw. */
        T returned() throws InterruptedException {
            thread.join();
            assertThat(threw.get()).as("what the call threw").isNull();
            return returned.get();
        }

        /** Waits for the call to end and gives what it threw. */
        Throwable threw() throws InterruptedException {
            thread.join();
            return threw.get();
        }
    }

    static <T> Call<T> inBackground(Callable<T> body) {
        return new Call<>(body);
    }

    static Call<Void> inBackground(Task body) {
        return new Call<>(() -> {
            body.run();
            return null;
        });
    }

    static void awaitTotal(Probe p, int slot, long n) throws InterruptedException {
        while (p.total(slot) < n) {
            Thread.sleep(1);
        }
    }

    /** Waits until a thread parks (in a blocking call); the test's own timeout bounds the wait. */
    static void awaitParked(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }
    }

    static Object roundTrip(Object o) throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
