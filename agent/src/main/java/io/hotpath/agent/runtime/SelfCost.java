package io.hotpath.agent.runtime;

import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What the agent costs the process, measured by the agent itself: CPU time and heap allocation of its own threads
 * (every thread of the agent's thread group: the background loop, the exporter and the threads the JDK HTTP client
 * starts for it), and an estimate of the recording done on the application's threads, which no clock can measure
 * without costing more than it measures: operations recorded times a per-operation cost calibrated on this machine
 * once, on the background thread.
 *
 * <p>Read by the background thread about once a second; the published {@link View} is immutable.
 */
public final class SelfCost {
    /** Counter slots that advice adds to once per operation (a call, an element in or out, a connection). */
    static final int[] OPERATION_SLOTS = {
        Slot.CALLS,
        Slot.IN,
        Slot.OUT,
        Slot.DROPPED,
        Slot.BATCHES,
        Slot.BLOCKED,
        Slot.WAITED,
        Slot.REMOVED,
        Slot.STARTED,
        Slot.OPENED,
        Slot.CLOSED
    };

    private static final long READ_EVERY_NANOS = 1_000_000_000L;

    /** The latest reading, for the summary, the dump and the exporter; null until the first one. */
    private static volatile View latest;

    private final ThreadGroup group;
    private final long startNanos;
    private final ThreadMXBean threads;
    private final com.sun.management.ThreadMXBean hotspot;
    private Thread[] scratch = new Thread[32];
    /** Last seen CPU and allocation per agent thread id, so that threads that ended still count. */
    private long[] ids = new long[32];

    private long[] cpu = new long[32];
    private long[] allocated = new long[32];
    private int known;
    private long nextRead;
    private double nanosPerCount = -1;
    private double nanosPerTimed = -1;
    private long lastOwnCpu;
    private long lastReadAt;
    private double lastRecordingNanos;
    private double lastAppCpu;

    /**
     * Final CPU and allocation of agent threads that said they were ending, by thread id: the thread bean stops
     * reporting a thread once it ends, and a reading may also have seen it alive (then this replaces that).
     */
    private static final java.util.Map<Long, long[]> ENDED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Called last by a short-lived agent thread (the exporter's build, the advice build): keeps its CPU time and
     * allocation as the agent's after it ends. Never throws.
     */
    public static void threadEnding() {
        try {
            final ThreadMXBean t = ManagementFactory.getThreadMXBean();
            final long id = Thread.currentThread().getId();
            final long c = t.isCurrentThreadCpuTimeSupported() ? Math.max(0, t.getCurrentThreadCpuTime()) : 0;
            final long a =
                    t instanceof com.sun.management.ThreadMXBean h ? Math.max(0, h.getThreadAllocatedBytes(id)) : 0;
            ENDED.put(id, new long[] {c, a});
        } catch (RuntimeException | Error e) {
            // Unsupported on this JVM: the thread's cost goes unreported, nothing else changes.
        }
    }

    /** Latest reading, or null before the first (or when thread CPU time is not available on this JVM). */
    public static View latest() {
        return latest;
    }

    /**
     * @param group the agent's thread group (that of the background thread)
     * @param startNanos when the agent started
     */
    SelfCost(ThreadGroup group, long startNanos) {
        this.group = group;
        this.startNanos = startNanos;
        this.threads = ManagementFactory.getThreadMXBean();
        this.hotspot = threads instanceof com.sun.management.ThreadMXBean h ? h : null;
    }

    /** Reads the agent's threads and updates the estimate from {@code s}, at most once a second unless forced. */
    synchronized void update(Snapshot s, boolean force) {
        final long now = s.nanoTime();
        if ((!force && now - nextRead < 0) || !threads.isThreadCpuTimeSupported()) {
            return;
        }
        // A tenth early: while no probe moves the background loop ticks once a second, and a tick a little under
        // a second after the last reading must still read, or readings (which the overhead budget counts, one a
        // second) would come every two seconds.
        nextRead = now + READ_EVERY_NANOS - READ_EVERY_NANOS / 10;
        if (nanosPerCount < 0) {
            calibrate();
        }
        int n = group.enumerate(scratch, true);
        while (n == scratch.length) {
            scratch = new Thread[scratch.length * 2];
            n = group.enumerate(scratch, true);
        }
        for (int i = 0; i < n; i++) {
            final long id = scratch[i].getId();
            final long c = threads.getThreadCpuTime(id);
            final long a = hotspot == null ? -1 : hotspot.getThreadAllocatedBytes(id);
            scratch[i] = null;
            if (c >= 0) {
                remember(id, c, a);
            }
        }
        long ownCpu = 0;
        long ownAllocated = 0;
        for (long[] ended : ENDED.values()) {
            ownCpu += ended[0];
            ownAllocated += ended[1];
        }
        for (int i = 0; i < known; i++) {
            if (!ENDED.containsKey(ids[i])) {
                ownCpu += cpu[i];
                ownAllocated += Math.max(0, allocated[i]);
            }
        }

        long operations = 0;
        long timed = 0;
        for (ProbeSample p : s.probes()) {
            for (int slot : OPERATION_SLOTS) {
                operations += p.counter(slot);
            }
            timed += BucketHistogram.count(p.dist(Dist.LATENCY)) + BucketHistogram.count(p.dist(Dist.WAIT));
        }
        final double recordingNanos = operations * nanosPerCount + timed * nanosPerTimed;
        final long processCpu = processCpuNanos();
        final double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        final double interval = lastReadAt == 0 ? seconds : Math.max(1e-9, (now - lastReadAt) / 1e9);
        final double backgroundShare = (ownCpu - (lastReadAt == 0 ? 0 : lastOwnCpu)) / 1e9 / interval;
        final double appCpu = processCpu < 0 ? -1 : Math.max(0, processCpu - ownCpu);
        latest = new View(
                ownCpu / 1e9,
                ownAllocated,
                recordingNanos / 1e9,
                operations,
                timed,
                backgroundShare,
                appCpu < 0 || appCpu == 0 ? 0 : recordingNanos / appCpu,
                nanosPerCount,
                nanosPerTimed,
                appCpu <= lastAppCpu || lastReadAt == 0
                        ? 0
                        : Math.max(0, recordingNanos - lastRecordingNanos) / (appCpu - lastAppCpu));
        lastRecordingNanos = recordingNanos;
        lastAppCpu = Math.max(lastAppCpu, appCpu);
        lastOwnCpu = ownCpu;
        lastReadAt = now;
    }

    private long processCpuNanos() {
        return io.hotpath.agent.analyze.jvm.ProcessCpu.nanos();
    }

    private void remember(long id, long c, long a) {
        for (int i = 0; i < known; i++) {
            if (ids[i] == id) {
                cpu[i] = c;
                allocated[i] = a;
                return;
            }
        }
        if (known == ids.length) {
            ids = java.util.Arrays.copyOf(ids, known * 2);
            cpu = java.util.Arrays.copyOf(cpu, known * 2);
            allocated = java.util.Arrays.copyOf(allocated, known * 2);
        }
        ids[known] = id;
        cpu[known] = c;
        allocated[known] = a;
        known++;
    }

    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * The cost of one counted operation (an atomic add to a cell, what a probe's counter does) and of one timed
     * sample (two clock reads and a histogram add), measured over a few thousand repetitions on this thread: about a
     * millisecond, once. The smallest of five rounds is kept, as the JIT may not have compiled the first.
     */
    private void calibrate() {
        final long[] cells = new long[BucketHistogram.LENGTH];
        final int reps = 20_000;
        long bestCount = Long.MAX_VALUE;
        long bestTimed = Long.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                CELL.getAndAdd(cells, i & 7, 1L);
            }
            long t1 = System.nanoTime();
            bestCount = Math.min(bestCount, t1 - t0);
            t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                final long start = System.nanoTime();
                final long d = System.nanoTime() - start;
                CELL.getAndAdd(cells, (int) (d & 63), 1L);
                sink += d;
            }
            t1 = System.nanoTime();
            bestTimed = Math.min(bestTimed, t1 - t0);
        }
        nanosPerCount = (double) bestCount / reps;
        nanosPerTimed = (double) bestTimed / reps + (sink == 42 ? 1e-9 : 0);
    }

    /**
     * One reading.
     *
     * @param cpuSeconds CPU time of the agent's threads since start
     * @param allocatedBytes heap allocated by the agent's threads since start (-1 where the JVM does not tell)
     * @param recordingSeconds estimated CPU time the application's threads spent recording
     * @param operations operations recorded (counter adds)
     * @param timedSamples timed samples recorded (latency and wait)
     * @param backgroundCores the agent's threads' CPU over the last reading interval, in cores (0.01 = 1 % of one)
     * @param recordingShare estimated recording time as a share of the application threads' CPU time since start
     * @param nanosPerOperation calibrated cost of one counted operation
     * @param nanosPerTimedSample calibrated cost of one timed sample
     * @param recordingShareNow estimated recording time as a share of the application threads' CPU time over the
     *     last reading interval (what the overhead budget compares)
     */
    public record View(
            double cpuSeconds,
            long allocatedBytes,
            double recordingSeconds,
            long operations,
            long timedSamples,
            double backgroundCores,
            double recordingShare,
            double nanosPerOperation,
            double nanosPerTimedSample,
            double recordingShareNow) {
        /** The dump's {@code self} object (docs/dump-format.md), in writing order. */
        java.util.Map<String, Double> asMap() {
            final java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
            m.put("cpu_s", cpuSeconds);
            m.put("allocated_bytes", (double) allocatedBytes);
            m.put("background_cores", backgroundCores);
            m.put("recording_estimate_s", recordingSeconds);
            m.put("recording_share", recordingShare);
            m.put("operations", (double) operations);
            m.put("timed_samples", (double) timedSamples);
            m.put("ns_per_operation", nanosPerOperation);
            m.put("ns_per_timed_sample", nanosPerTimedSample);
            return m;
        }

        /** One line for the terminal summary. */
        String line() {
            return String.format(
                    java.util.Locale.ROOT,
                    "agent self  cpu %.2f s (%.2f %% of a core now)  allocated %.1f MB  recording ~%.3f s (%.3f %% of"
                            + " the application's CPU)%n",
                    cpuSeconds,
                    backgroundCores * 100,
                    allocatedBytes / 1e6,
                    recordingSeconds,
                    recordingShare * 100);
        }
    }
}
