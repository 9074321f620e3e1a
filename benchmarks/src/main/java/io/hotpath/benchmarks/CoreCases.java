package io.hotpath.benchmarks;

import java.util.List;

/**
 * The {@link CoreBenchmark} methods in the order they run and are reported, each with the baseline it is compared
 * with. Running a benchmark right after its baseline keeps slow drift of the machine out of the difference.
 */
public final class CoreCases {
    /**
     * One core benchmark.
     *
     * @param method the benchmark method
     * @param baseline the method it is compared with, or null for a baseline
     * @param what what it measures, for the report
     */
    public record Case(String method, String baseline, String what) {}

    /** All of them, baselines first in each block. */
    public static final List<Case> ALL = List.of(
            new Case("baseline", null, "blackhole only (a fixed probe reference)"),
            new Case("count", "baseline", "`Probe.increment(slot)`"),
            new Case("timeSampled", "baseline", "`Probe.begin()` + `end()`, sample mask 1023 (hot probe)"),
            new Case("timeEveryCall", "baseline", "`Probe.begin()` + `end()`, sample mask 0 (every call timed)"),
            new Case("referenceAtomic", "baseline", "reference: `AtomicLong.getAndIncrement`, thread's own counter"),
            new Case("readCounters", "baseline", "`Probe.readCounters` (cold side: 16 counters × stripes)"),
            new Case("readDist", "baseline", "`Probe.readDist` (cold side: 1185 longs)"),
            new Case("baselineRoundRobin64", null, "blackhole only, probe picked round robin from 64"),
            new Case("countRoundRobin64", "baselineRoundRobin64", "`Probe.increment`, 64 probes round robin"),
            new Case("baselineValue", null, "blackhole only, value picked from a 1024-entry table"),
            new Case("histogramRecord", "baselineValue", "`BucketHistogram.record(v)`, v 10 ns .. 10 ms"),
            new Case("baseline2Threads", null, "blackhole only, 2 threads"),
            new Case(
                    "referenceAtomic2Threads",
                    "baseline2Threads",
                    "reference: 2 threads, each `getAndIncrement` on its own counter (nothing shared)"),
            new Case("count2Threads", "baseline2Threads", "`Probe.increment`, 2 threads, one probe"),
            new Case("timeSampled2Threads", "baseline2Threads", "`begin()` + `end()`, mask 1023, 2 threads, one probe"),
            new Case("baselineValue2Threads", null, "blackhole only, value from table, 2 threads"),
            new Case(
                    "histogramRecord2Threads",
                    "baselineValue2Threads",
                    "`BucketHistogram.record`, 2 threads, one histogram"));

    private CoreCases() {}

    /** The case of a method, or null. */
    public static Case of(String method) {
        for (Case c : ALL) {
            if (c.method().equals(method)) {
                return c;
            }
        }
        return null;
    }
}
