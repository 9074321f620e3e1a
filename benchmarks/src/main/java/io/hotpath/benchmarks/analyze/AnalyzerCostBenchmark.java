package io.hotpath.benchmarks.analyze;

import io.hotpath.agent.alert.Alerter;
import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.analyze.Analyzer;
import io.hotpath.agent.config.Config;
import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * CPU cost of one analyzer tick with 1,000 live probes (a loop harness, not JMH: the quantity is CPU time per tick of a
 * stateful analyzer fed a realistic sequence, which a JMH invocation would not reproduce). Every probe moves every
 * tick: 400 queues, 300 executors, 200 methods and 100 IPC probes record counts and 20 to 200 latency values per tick
 * into real {@link BucketHistogram}s, a few queues grow or drop; the snapshots are built like the agent's
 * {@code SnapshotTaker} builds them, outside the measured section. The analyzer runs exactly as in the agent, JVM
 * detectors included, and its view goes through the alerter (no channels), as the agent's background loop does every
 * tick. Measured: the thread's CPU time and heap allocation inside {@code onSnapshot} and the alerter, after a warm-up.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar:exporter/target/hotpath-exporter-0.1.0-SNAPSHOT.jar
 * io.hotpath.benchmarks.analyze.AnalyzerCostBenchmark [probes] [ticks]}. Prints mean and p99 CPU per tick, the share
 * of one core at the 100 ms tick and the bytes allocated per tick.
 */
public final class AnalyzerCostBenchmark {
    private static final long TICK_NANOS = 100_000_000L;

    private AnalyzerCostBenchmark() {}

    public static void main(String[] args) {
        final int probes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        final int ticks = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        final int warmup = Math.min(600, ticks / 3);
        final Config config = Config.resolve("", new Properties(), java.util.Map.of());
        final Analyzer analyzer = Analyzer.create(config);
        final Alerter alerter = new Alerter(
                config.get(io.hotpath.agent.config.Settings.ALERTS_MIN_SEVERITY),
                config.get(io.hotpath.agent.config.Settings.ALERTS_COOLDOWN),
                config.get(io.hotpath.agent.config.Settings.ALERTS_RATE_LIMIT),
                List.of());
        final Workload w = new Workload(probes);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final com.sun.management.ThreadMXBean bytes = (com.sun.management.ThreadMXBean) threads;
        final long[] cpu = new long[ticks - warmup];
        long allocated = 0;
        for (int t = 0; t < ticks; t++) {
            final Snapshot s = w.next();
            final long before = threads.getCurrentThreadCpuTime();
            final long bytesBefore = bytes.getCurrentThreadAllocatedBytes();
            analyzer.onSnapshot(s);
            alerter.onAnalysis(analyzer.view());
            final long bytesAfter = bytes.getCurrentThreadAllocatedBytes();
            final long spent = threads.getCurrentThreadCpuTime() - before;
            if (t >= warmup) {
                cpu[t - warmup] = spent;
                allocated += bytesAfter - bytesBefore;
            }
        }
        Arrays.sort(cpu);
        double sum = 0;
        for (long c : cpu) {
            sum += c;
        }
        final double mean = sum / cpu.length;
        final long p99 = cpu[(int) Math.min(cpu.length - 1, Math.ceil(cpu.length * 0.99) - 1)];
        final AnalysisView v = analyzer.view();
        System.out.printf(
                Locale.ROOT,
                "analyzer cost: %d live probes, %d ticks measured: mean %.1f us CPU per tick, p99 %.1f us;"
                        + " %.2f%% of one core at the 100 ms tick; %.0f bytes allocated per tick; findings %d,"
                        + " health %.2f%n",
                probes,
                cpu.length,
                mean / 1e3,
                p99 / 1e3,
                100.0 * mean / TICK_NANOS,
                allocated / (double) cpu.length,
                v.findings().size(),
                v.health());
    }

    /** Synthetic probes that all move every tick. */
    static final class Workload {
        private final SplittableRandom random = new SplittableRandom(1);
        private final List<P> probes = new ArrayList<>();
        private long nanoTime = 1_000_000_000L;
        private long epochMillis = System.currentTimeMillis();

        Workload(int n) {
            for (int i = 0; i < n; i++) {
                final PathKind kind = i % 10 < 4
                        ? PathKind.QUEUE
                        : i % 10 < 7 ? PathKind.EXECUTOR : i % 10 < 9 ? PathKind.METHOD : PathKind.IPC;
                probes.add(new P(i, "bench.probe" + i, kind));
            }
        }

        Snapshot next() {
            nanoTime += TICK_NANOS;
            epochMillis += TICK_NANOS / 1_000_000L;
            final List<ProbeSample> samples = new ArrayList<>(probes.size());
            for (P p : probes) {
                samples.add(p.tick(random));
            }
            return new Snapshot(nanoTime, epochMillis, samples, 0);
        }
    }

    static final class P {
        final int id;
        final String name;
        final PathKind kind;
        final long[] counters = new long[Slot.COUNT];
        final BucketHistogram latency = new BucketHistogram();
        final BucketHistogram wait = new BucketHistogram();
        long depth;

        P(int id, String name, PathKind kind) {
            this.id = id;
            this.name = name;
            this.kind = kind;
        }

        ProbeSample tick(SplittableRandom r) {
            final int n = 100 + r.nextInt(900);
            counters[Slot.CALLS] += n;
            counters[Slot.IN] += n;
            counters[Slot.OUT] += n - (id % 97 == 0 ? 50 : 0); // one probe in 97 backs up
            if (id % 89 == 0) {
                counters[Slot.DROPPED] += 20; // and one in 89 overflows
            }
            depth = id % 97 == 0 ? depth + 50 : 20 + r.nextInt(40);
            final int timed = 20 + r.nextInt(180);
            for (int i = 0; i < timed; i++) {
                latency.record(50_000 + r.nextInt(2_000_000));
                if (kind == PathKind.EXECUTOR) {
                    wait.record(10_000 + r.nextInt(500_000));
                }
            }
            final long[][] dists = new long[Dist.COUNT][];
            dists[Dist.LATENCY] = new long[BucketHistogram.LENGTH];
            latency.readCounts(dists[Dist.LATENCY]);
            if (kind == PathKind.EXECUTOR) {
                dists[Dist.WAIT] = new long[BucketHistogram.LENGTH];
                wait.readCounts(dists[Dist.WAIT]);
            }
            final long[] gauges = new long[Gauge.COUNT];
            Arrays.fill(gauges, Gauge.ABSENT);
            if (kind == PathKind.QUEUE || kind == PathKind.EXECUTOR) {
                gauges[Gauge.DEPTH] = depth;
            }
            if (kind == PathKind.EXECUTOR) {
                gauges[Gauge.ACTIVE] = 2;
                gauges[Gauge.POOL_SIZE] = 8;
            }
            return new ProbeSample(id, name, kind, counters.clone(), dists, gauges);
        }
    }
}
