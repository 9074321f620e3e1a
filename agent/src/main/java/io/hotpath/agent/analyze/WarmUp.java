package io.hotpath.agent.analyze;

import io.hotpath.agent.analyze.finding.Evidence;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.finding.Observation;
import io.hotpath.agent.report.Units;
import io.hotpath.exporter.Severity;
import java.util.List;

/**
 * The JVM's warm-up: while the JIT compilers take a large share of a CPU, the application runs interpreted or in
 * code compiled without profile and still loads classes, and every stage is slower than it will be. Each stage that
 * keeps up only barely then backs up (a pool busy with tasks waiting, a Netty peer in the same JVM reading slower than
 * it is written to, the process near its CPU limit, threads queueing for a monitor whose interpreted section or class
 * loading lock is held longer) for a few seconds, and is fine once the hot code is compiled. So while the JVM is
 * warming up, flow findings, CPU saturation and lock contention are observed at info: they are reported, but they
 * confirm no warning and open no incident. What still holds once the JIT has settled confirms afresh at warning (half
 * the short window's ticks, the ticks held at info not counted) and opens its incident then. GC pressure and errors are
 * not held: slow code neither makes the collector pause more nor makes calls fail.
 */
final class WarmUp {
    private WarmUp() {}

    /** Observes every flow, CPU and lock finding of this tick at info, saying why. */
    static void hold(List<Observation> observations, double jitShare) {
        for (int i = 0, n = observations.size(); i < n; i++) {
            final Observation o = observations.get(i);
            if (o.severity() != Severity.INFO && held(o.kind())) {
                observations.set(i, atInfo(o, jitShare));
            }
        }
    }

    private static boolean held(FindingKind kind) {
        return kind.isFlow() || kind == FindingKind.CPU_SATURATION || kind == FindingKind.LOCK_CONTENTION;
    }

    private static Observation atInfo(Observation o, double jitShare) {
        return new Observation(
                o.kind(),
                o.probe(),
                Severity.INFO,
                o.impact(),
                o.confidence(),
                new Evidence()
                        .putAll(o.evidence())
                        .put("jit_cpu_share", jitShare)
                        .map(),
                o.message() + "; held at info: JVM warm-up, the JIT compiling " + Units.fixed(jitShare * 100, 0)
                        + "% of a CPU",
                o.recommendation());
    }
}
