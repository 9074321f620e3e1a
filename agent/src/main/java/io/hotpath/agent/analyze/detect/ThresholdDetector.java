package io.hotpath.agent.analyze.detect;

import io.hotpath.agent.analyze.AnalyzerConfig;
import io.hotpath.agent.analyze.finding.Evidence;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.finding.Observation;
import io.hotpath.agent.report.Units;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.exporter.Severity;
import java.util.List;

/**
 * The seeds' fixed thresholds, warning and critical: queue depth (high is bad), p99 latency (high is bad), error rate
 * (high is bad) and throughput (low is bad, but only where traffic is expected: the probe normally carries at least
 * twice the warning rate, and work is still arriving or waiting, so an application going quiet is not a finding).
 */
public final class ThresholdDetector implements ProbeDetector {
    /** Fewest calls in the window for an error rate to mean anything. */
    static final int MIN_CALLS_FOR_ERROR_RATE = 20;

    @Override
    public void detect(ProbeState p, AnalyzerConfig c, List<Observation> out) {
        depth(p, c, out);
        latency(p, c, out);
        errors(p, c, out);
        throughput(p, c, out);
    }

    /** Null below {@code warning}; from there {@code CRITICAL} at or above {@code critical}, else {@code WARNING}. */
    private static Severity level(double value, double warning, double critical) {
        return value < warning ? null : value >= critical ? Severity.CRITICAL : Severity.WARNING;
    }

    private static void depth(ProbeState p, AnalyzerConfig c, List<Observation> out) {
        final Severity severity = level(p.depth, c.depthWarning(), c.depthCritical());
        if (severity == null) {
            return;
        }
        out.add(new Observation(
                FindingKind.QUEUE_DEPTH,
                p.name,
                severity,
                Evidence.clamp01((double) p.depth / c.depthCritical()),
                1.0,
                new Evidence()
                        .put("depth", p.depth)
                        .put("warning", c.depthWarning())
                        .put("critical", c.depthCritical())
                        .put("in_per_s", p.rate(p.inW))
                        .put("out_per_s", p.rate(p.outW))
                        .map(),
                p.depth + " waiting at " + p.name + " (warning " + c.depthWarning() + ", critical " + c.depthCritical()
                        + ")",
                p.kind == PathKind.EXECUTOR
                        ? "raise the pool size of " + p.name + " (or shed load upstream)"
                        : "drain " + p.name + " faster: more consumers or bigger batches; or bound it lower upstream"));
    }

    private static void latency(ProbeState p, AnalyzerConfig c, List<Observation> out) {
        final Severity severity = level(p.latencyP99, c.latencyWarningNanos(), c.latencyCriticalNanos());
        if (severity == null) {
            return;
        }
        out.add(new Observation(
                FindingKind.LATENCY,
                p.name,
                severity,
                Evidence.clamp01((double) p.latencyP99 / c.latencyCriticalNanos()),
                Evidence.clamp01(0.5 + p.latencyCount / 20.0),
                new Evidence()
                        .put("p99_ns", p.latencyP99)
                        .put("samples", p.latencyCount)
                        .put("warning_ns", c.latencyWarningNanos())
                        .put("critical_ns", c.latencyCriticalNanos())
                        .map(),
                "p99 latency " + Units.duration(p.latencyP99) + " at " + p.name + " (warning "
                        + Units.duration(c.latencyWarningNanos()) + ")",
                Remedies.latency(p.kind, p.name)));
    }

    private static void errors(ProbeState p, AnalyzerConfig c, List<Observation> out) {
        final long calls = p.kind == PathKind.EXECUTOR ? Math.max(p.outW, p.callsW) : p.callsW;
        if (calls < MIN_CALLS_FOR_ERROR_RATE || p.errorsTick == 0) {
            return;
        }
        final double share = (double) p.errorsW / calls;
        final Severity severity = level(share, c.errorWarning(), c.errorCritical());
        if (severity == null) {
            return;
        }
        out.add(new Observation(
                FindingKind.ERROR_RATE,
                p.name,
                severity,
                Evidence.clamp01(share / Math.max(1e-9, c.errorCritical())),
                Evidence.clamp01(calls / 100.0),
                new Evidence()
                        .put("error_share", share)
                        .put("errors_per_s", p.rate(p.errorsW))
                        .put("calls_per_s", p.rate(calls))
                        .map(),
                Units.fixed(share * 100, 1) + "% of calls fail at " + p.name,
                "look at the exceptions thrown by " + p.name + "; retries upstream amplify them"));
    }

    private static void throughput(ProbeState p, AnalyzerConfig c, List<Observation> out) {
        if (p.kind != PathKind.QUEUE && p.kind != PathKind.EXECUTOR && p.kind != PathKind.IPC) {
            return;
        }
        if (Double.isNaN(p.outRateLong) || p.outRateLong < 2 * c.throughputWarning() || p.windowSeconds <= 0) {
            return; // never carried enough traffic for a low rate to be a surprise
        }
        final double outRate = p.rate(p.outW);
        final double inRate = p.rate(p.inW);
        final boolean expected = inRate >= c.throughputWarning() || p.depth >= c.saturationMinDepth();
        if (outRate >= c.throughputWarning() || !expected) {
            return;
        }
        out.add(new Observation(
                FindingKind.THROUGHPUT,
                p.name,
                outRate < c.throughputCritical() ? Severity.CRITICAL : Severity.WARNING,
                Evidence.clamp01(1 - outRate / Math.max(1e-9, p.outRateLong)),
                0.8,
                new Evidence()
                        .put("out_per_s", outRate)
                        .put("in_per_s", inRate)
                        .put("usual_out_per_s", p.outRateLong)
                        .put("depth", Math.max(0, p.depth))
                        .map(),
                "only " + Units.rate(outRate) + "/s leave " + p.name + " (usually " + Units.rate(p.outRateLong)
                        + "/s) while work keeps arriving",
                p.kind == PathKind.IPC
                        ? "the peer of " + p.name + " reads slowly or the writer stalls: find what it waits on"
                        : "the consumer of " + p.name + " stalls: raise its threads or find what it waits on"));
    }
}
