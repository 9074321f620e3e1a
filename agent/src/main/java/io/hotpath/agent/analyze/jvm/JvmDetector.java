package io.hotpath.agent.analyze.jvm;

import io.hotpath.agent.analyze.AnalyzerConfig;
import io.hotpath.agent.analyze.finding.Evidence;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.finding.Observation;
import io.hotpath.agent.report.Units;
import io.hotpath.exporter.Severity;
import java.util.List;

/**
 * The JVM beneath the application, over the short window:
 *
 * <ul>
 *   <li>GC pressure: share of wall time spent in GC pauses, with at least two pauses in the window (the collection
 *       count is read every tick, the cumulative pause time only when the count moved);
 *   <li>lock contention: application threads blocked on monitors, on average;
 *   <li>CPU saturation: the process's CPU time as a share of all cores (warning / critical), or the machine's load at
 *       the critical level while the process uses less (info: another process takes the CPU);
 *   <li>warm-up: the JIT compilers' compilation time as a share of one CPU, which the analyzer uses to hold flow, CPU
 *       and lock findings at info while the JVM is still compiling its hot code ({@link #warmingUp}).
 * </ul>
 *
 * Threads, CPU and the JIT are read every {@code analyzer.jvm.interval}, since reading every thread's state costs more
 * than a GC counter. All report under the probe name {@value Observation#JVM}.
 */
public final class JvmDetector {
    /** Fewest GC pauses in the short window for GC pressure. */
    static final int MIN_PAUSES = 2;

    private final JvmSource source;
    private final long[] gcNanos;
    private final long[] gcMillis;
    private final long[] gcCounts;
    private int gcHead = -1;
    private int gcFilled;
    /**
     * The pause time read when the collection count was {@link #pauseMillisAtCount}: most ticks see no collection, and
     * then the time is not read again. The JVM adds a collection's time before it counts the collection, so a time
     * read after a count holds at least that count's pauses; a pause counted later moves the count, and the time is
     * read again on that tick.
     */
    private long pauseMillis;

    private long pauseMillisAtCount = -1;

    private final long[] sampleNanos;
    private final long[] blockedMillis;
    private final long[] cpuNanos;
    private final long[] jitMillis;
    /** JIT compilation time over the short window as a share of one CPU, NaN when not known. */
    private double jitShare = Double.NaN;

    private int sampleHead = -1;
    private int sampleFilled;
    private final long sampleEveryNanos;
    private long nextSample;
    private JvmSource.ThreadReading lastThreads = new JvmSource.ThreadReading(0, 0, "");
    /** The machine's CPU load, 0..1, or NaN when the JVM cannot tell: then it is left out, never shown as 0. */
    private double machineLoad = Double.NaN;

    /**
     * The lock and CPU observations of the latest thread and CPU reading. Those figures only change when a reading is
     * taken (every {@code analyzer.jvm.interval}, a few ticks), so the ticks between repeat the same observation
     * rather than rebuilding and re-formatting it; a CPU observation whose rounded figures and severity did not change
     * is kept too, its evidence then at most half a percentage point from the newest reading. An idle JVM on a busy
     * machine (an info finding every tick) then costs no formatting at all.
     */
    private Observation lastLocks;

    private Observation lastCpu;
    private long lastCpuKey = -1;

    public JvmDetector(JvmSource source, AnalyzerConfig c) {
        this.source = source;
        final int ticks = c.shortTicks() + 1;
        this.gcNanos = new long[ticks];
        this.gcMillis = new long[ticks];
        this.gcCounts = new long[ticks];
        this.sampleEveryNanos = Math.max(1, c.jvmInterval().toNanos());
        final int samples = (int) Math.max(2, c.shortWindow().toNanos() / sampleEveryNanos) + 1;
        this.sampleNanos = new long[samples];
        this.blockedMillis = new long[samples];
        this.cpuNanos = new long[samples];
        this.jitMillis = new long[samples];
    }

    public void detect(long nanoTime, AnalyzerConfig c, List<Observation> out) {
        gc(nanoTime, c, out);
        if (sampleFilled != 0 && nanoTime - nextSample < 0) {
            if (lastLocks != null) {
                out.add(lastLocks);
            }
            if (lastCpu != null) {
                out.add(lastCpu);
            }
            return;
        }
        nextSample = nanoTime + sampleEveryNanos;
        sampleHead = (sampleHead + 1) % sampleNanos.length;
        lastThreads = source.threads();
        sampleNanos[sampleHead] = nanoTime;
        blockedMillis[sampleHead] = lastThreads.blockedMillis();
        cpuNanos[sampleHead] = source.processCpuNanos();
        jitMillis[sampleHead] = source.jitMillis();
        machineLoad = known(source.machineCpuLoad());
        sampleFilled = Math.min(sampleFilled + 1, sampleNanos.length);
        lastLocks = null;
        final Observation cpuBefore = lastCpu;
        lastCpu = null;
        jitShare = Double.NaN;
        if (sampleFilled >= 2) {
            final int oldest = sampleFilled < sampleNanos.length ? 0 : (sampleHead + 1) % sampleNanos.length;
            final double wallMillis = (sampleNanos[sampleHead] - sampleNanos[oldest]) / 1e6;
            if (wallMillis > 0) {
                if (cpuNanos[sampleHead] >= 0 && cpuNanos[oldest] >= 0 && source.processors() > 0) {
                    final double share =
                            (cpuNanos[sampleHead] - cpuNanos[oldest]) / 1e6 / wallMillis / source.processors();
                    lastCpu = cpu(share, c, cpuBefore);
                }
                lastLocks = locks((blockedMillis[sampleHead] - blockedMillis[oldest]) / wallMillis, c);
                if (jitMillis[sampleHead] >= 0 && jitMillis[oldest] >= 0) {
                    jitShare = (jitMillis[sampleHead] - jitMillis[oldest]) / wallMillis;
                }
            }
        }
        if (lastLocks != null) {
            out.add(lastLocks);
        }
        if (lastCpu != null) {
            out.add(lastCpu);
        }
        if (lastCpu == null) {
            lastCpuKey = -1;
        }
    }

    /**
     * Whether the JVM is warming up: its JIT compilers spent at least {@code warmup.jit} of one CPU compiling over the
     * short window (as of the latest thread and CPU reading). Unknown (no JIT, or compilation time not measured) is
     * not warming up.
     */
    public boolean warmingUp(AnalyzerConfig c) {
        return jitShare >= c.warmupJit();
    }

    /** JIT compilation time over the short window as a share of one CPU; NaN when the JVM does not tell. */
    public double jitShare() {
        return jitShare;
    }

    private void gc(long nanoTime, AnalyzerConfig c, List<Observation> out) {
        gcHead = (gcHead + 1) % gcNanos.length;
        gcNanos[gcHead] = nanoTime;
        final long count = source.gcCount();
        if (count != pauseMillisAtCount) {
            pauseMillis = source.gcPauseMillis();
            pauseMillisAtCount = count;
        }
        gcMillis[gcHead] = pauseMillis;
        gcCounts[gcHead] = count;
        gcFilled = Math.min(gcFilled + 1, gcNanos.length);
        if (gcFilled < 2) {
            return;
        }
        final int oldest = gcFilled < gcNanos.length ? 0 : (gcHead + 1) % gcNanos.length;
        final double wallMillis = (gcNanos[gcHead] - gcNanos[oldest]) / 1e6;
        if (wallMillis <= 0) {
            return;
        }
        final double share = Math.min(1.0, (gcMillis[gcHead] - gcMillis[oldest]) / wallMillis);
        final long pauses = gcCounts[gcHead] - gcCounts[oldest];
        // One long pause is a spike, not pressure: it takes pauses that keep coming.
        if (share < c.gcWarning() || pauses < MIN_PAUSES) {
            return;
        }
        out.add(new Observation(
                FindingKind.GC_PRESSURE,
                Observation.JVM,
                share >= c.gcCritical() ? Severity.CRITICAL : Severity.WARNING,
                Evidence.clamp01(share / Math.max(1e-9, c.gcCritical())),
                0.9,
                new Evidence()
                        .put("pause_share", share)
                        .put("pause_ms", gcMillis[gcHead] - gcMillis[oldest])
                        .put("window_ms", wallMillis)
                        .put("pauses", pauses)
                        .map(),
                "GC pauses take " + Units.fixed(share * 100, 0) + "% of wall time",
                "allocate less on the hot path (reuse buffers, smaller batches) or give the heap more room"
                        + " (-Xmx, young generation size)"));
    }

    private Observation locks(double blockedThreads, AnalyzerConfig c) {
        if (blockedThreads < c.locksWarning()) {
            return null;
        }
        final String lock = lastThreads.hotLock();
        return new Observation(
                FindingKind.LOCK_CONTENTION,
                Observation.JVM,
                blockedThreads >= c.locksCritical() ? Severity.CRITICAL : Severity.WARNING,
                Evidence.clamp01(blockedThreads / Math.max(1e-9, 2 * c.locksCritical())),
                0.85,
                new Evidence()
                        .put("blocked_threads", blockedThreads)
                        .put("blocked_now", lastThreads.blockedNow())
                        .map(),
                Units.fixed(blockedThreads, 1) + " threads blocked on monitors on average"
                        + (lock.isEmpty() ? "" : "; most wait for " + lock),
                "shorten or split the synchronized section" + (lock.isEmpty() ? "" : " on " + lock)
                        + ", or replace it with a concurrent structure; fewer threads contending helps too");
    }

    private Observation cpu(double processShare, AnalyzerConfig c, Observation before) {
        final Severity severity;
        if (processShare >= c.cpuCritical()) {
            severity = Severity.CRITICAL;
        } else if (processShare >= c.cpuWarning()) {
            severity = Severity.WARNING;
        } else if (machineLoad >= c.cpuCritical()) {
            severity = Severity.INFO;
        } else {
            return null;
        }
        final int processors = source.processors();
        final boolean machineKnown = !Double.isNaN(machineLoad);
        // What the message shows: whole percents (999 for a machine load not known), the core count and the severity.
        final long key =
                ((Math.round(processShare * 100) * 1000 + (machineKnown ? Math.round(machineLoad * 100) : 999)) * 10_000
                                        + processors)
                                * 4
                        + severity.ordinal();
        if (before != null && key == lastCpuKey) {
            return before;
        }
        lastCpuKey = key;
        return new Observation(
                FindingKind.CPU_SATURATION,
                Observation.JVM,
                severity,
                Evidence.clamp01(machineKnown ? Math.max(processShare, machineLoad) : processShare),
                0.8,
                evidence(processShare, processors),
                "CPU saturated: process " + Units.fixed(processShare * 100, 0) + "%"
                        + (machineKnown ? ", machine " + Units.fixed(machineLoad * 100, 0) + "%" : "") + " of "
                        + processors + " cores",
                severity == Severity.INFO
                        ? "another process takes the CPU; more pool threads would not help"
                        : "fewer busy threads (smaller pools, less spinning) or more cores; growing pools makes it"
                                + " worse");
    }

    private java.util.Map<String, Double> evidence(double processShare, int processors) {
        final Evidence e = new Evidence().put("process_cpu_share", processShare);
        if (!Double.isNaN(machineLoad)) {
            e.put("machine_cpu_load", machineLoad);
        }
        return e.put("processors", processors).map();
    }

    /**
     * A load reading as the detector keeps it: {@code OperatingSystemMXBean} answers a negative value (or NaN) when
     * the reading is not available, which is not a load of 0.
     */
    static double known(double load) {
        return load >= 0 && load <= 1 ? load : Double.NaN;
    }
}
