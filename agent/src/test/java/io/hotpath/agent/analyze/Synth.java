package io.hotpath.agent.analyze;

import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.bootstrap.BucketHistogram;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import io.hotpath.exporter.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Synthetic snapshot sequences for detector tests: each probe keeps cumulative counters and histograms, a test adds
 * what happened during the next tick and calls {@link #tick()}.
 */
final class Synth {
    static final long TICK_NANOS = 100_000_000L;

    final List<Probe> probes = new ArrayList<>();
    long nanoTime = 1_000_000_000L;
    long epochMillis = 1_700_000_000_000L;
    final Random random = new Random(42);

    Probe probe(String name, PathKind kind) {
        final Probe p = new Probe(probes.size(), name, kind);
        probes.add(p);
        return p;
    }

    Snapshot tick() {
        nanoTime += TICK_NANOS;
        epochMillis += TICK_NANOS / 1_000_000L;
        final List<ProbeSample> samples = new ArrayList<>();
        for (Probe p : probes) {
            samples.add(p.sample());
        }
        return new Snapshot(nanoTime, epochMillis, samples, 0);
    }

    static final class Probe {
        final int id;
        final String name;
        final PathKind kind;
        final long[] counters = new long[Slot.COUNT];
        final long[] gauges = new long[Gauge.COUNT];
        final BucketHistogram[] hists = new BucketHistogram[Dist.COUNT];

        Probe(int id, String name, PathKind kind) {
            this.id = id;
            this.name = name;
            this.kind = kind;
            Arrays.fill(gauges, Gauge.ABSENT);
            for (int d = 0; d < Dist.COUNT; d++) {
                hists[d] = new BucketHistogram();
            }
            if (kind == PathKind.QUEUE || kind == PathKind.EXECUTOR) {
                gauges[Gauge.DEPTH] = 0;
            }
        }

        Probe add(int slot, long n) {
            counters[slot] += n;
            return this;
        }

        Probe gauge(int gauge, long value) {
            gauges[gauge] = value;
            return this;
        }

        Probe latency(long nanos, int times) {
            for (int i = 0; i < times; i++) {
                hists[Dist.LATENCY].record(nanos);
            }
            return this;
        }

        ProbeSample sample() {
            final long[][] dists = new long[Dist.COUNT][];
            for (int d = 0; d < Dist.COUNT; d++) {
                dists[d] = new long[BucketHistogram.LENGTH];
                hists[d].readCounts(dists[d]);
            }
            return new ProbeSample(id, name, kind, counters.clone(), dists, gauges.clone());
        }
    }

    static AnalyzerConfig config() {
        return AnalyzerConfig.defaults();
    }

    /** Findings of a kind whose peak severity is above info. */
    static List<Finding> serious(AnalysisView v) {
        return v.findings().stream()
                .filter(f -> f.peakSeverity() != Severity.INFO)
                .toList();
    }

    static List<Finding> ofKind(AnalysisView v, FindingKind kind) {
        return v.findings().stream().filter(f -> f.kind() == kind).toList();
    }
}
