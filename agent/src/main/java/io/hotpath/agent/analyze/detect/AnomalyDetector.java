package io.hotpath.agent.analyze.detect;

import io.hotpath.agent.analyze.AnalyzerConfig;
import io.hotpath.agent.analyze.finding.Evidence;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.finding.Observation;
import io.hotpath.agent.report.Units;
import io.hotpath.exporter.Severity;
import java.util.List;

/**
 * Change points in latency (p99 per tick, in log space) and depth against each probe's learned baseline (EWMA mean and
 * spread over the long window). A tick is anomalous when its z-score exceeds {@code anomaly.z}. Confirmation takes two
 * windows: an observation needs anomalous ticks in at least half of the short window (so one spike is never a
 * finding), and it is a warning only when the medium-term average (an EWMA over five short windows) is also beyond the
 * limit; otherwise it is info.
 */
public final class AnomalyDetector implements ProbeDetector {
    @Override
    public void detect(ProbeState p, AnalyzerConfig c, List<Observation> out) {
        final int window = Math.max(2, Math.min(63, c.shortTicks()));
        final long mask = (1L << window) - 1;
        final double mediumAlpha = 1.0 / (5.0 * window);

        if (p.latencyFresh && p.latencyP99 > 0) {
            final double x = Math.log(p.latencyP99);
            final double z = p.latencyBaseline.z(x);
            final boolean anomalous = z > c.anomalyZ();
            p.latencyAnomalyBits = ((p.latencyAnomalyBits << 1) | (anomalous ? 1 : 0)) & mask;
            p.latencyMedium = Double.isNaN(p.latencyMedium) ? x : p.latencyMedium + mediumAlpha * (x - p.latencyMedium);
            if (anomalous && 2 * Long.bitCount(p.latencyAnomalyBits) >= window) {
                final double mediumZ = p.latencyBaseline.z(p.latencyMedium);
                final double usual = Math.exp(p.latencyBaseline.mean());
                out.add(new Observation(
                        FindingKind.LATENCY_ANOMALY,
                        p.name,
                        mediumZ > c.anomalyZ() ? Severity.WARNING : Severity.INFO,
                        Evidence.clamp01(1 - usual / p.latencyP99),
                        Evidence.clamp01(Long.bitCount(p.latencyAnomalyBits) / (double) window),
                        new Evidence()
                                .put("p99_ns", p.latencyP99)
                                .put("baseline_ns", usual)
                                .put("z", z)
                                .put("medium_z", mediumZ)
                                .map(),
                        "p99 latency of " + p.name + " rose to " + Units.duration(p.latencyP99) + " from a usual "
                                + Units.duration((long) usual),
                        "see the saturation or JVM findings of the same time; otherwise "
                                + Remedies.latency(p.kind, p.name)));
            }
            p.latencyBaseline.learn(x, anomalous);
        } else {
            p.latencyAnomalyBits = (p.latencyAnomalyBits << 1) & mask;
        }

        if (p.depth >= 0) {
            final double x = p.depth;
            final double z = p.depthBaseline.z(x);
            final boolean anomalous = z > c.anomalyZ();
            p.depthAnomalyBits = ((p.depthAnomalyBits << 1) | (anomalous ? 1 : 0)) & mask;
            p.depthMedium = Double.isNaN(p.depthMedium) ? x : p.depthMedium + mediumAlpha * (x - p.depthMedium);
            if (anomalous && 2 * Long.bitCount(p.depthAnomalyBits) >= window) {
                final double mediumZ = p.depthBaseline.z(p.depthMedium);
                out.add(new Observation(
                        FindingKind.DEPTH_ANOMALY,
                        p.name,
                        mediumZ > c.anomalyZ() ? Severity.WARNING : Severity.INFO,
                        Evidence.clamp01(1 - (p.depthBaseline.mean() + 1) / (x + 1)),
                        Evidence.clamp01(Long.bitCount(p.depthAnomalyBits) / (double) window),
                        new Evidence()
                                .put("depth", x)
                                .put("baseline", p.depthBaseline.mean())
                                .put("z", z)
                                .put("medium_z", mediumZ)
                                .map(),
                        "depth of " + p.name + " rose to " + p.depth + " from a usual "
                                + Math.round(p.depthBaseline.mean()),
                        "its consumer slowed down or its producers sped up: see the saturation findings"));
            }
            p.depthBaseline.learn(x, anomalous);
        }
    }
}
