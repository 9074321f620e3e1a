package io.hotpath.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import io.hotpath.exporter.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM's warm-up, on synthetic JIT, CPU and pool readings: what it holds at info and what it lets through. */
@Timeout(10)
class WarmUpTest {
    private final JvmDetectorTest.FakeJvm jvm = new JvmDetectorTest.FakeJvm();
    private final Synth synth = new Synth();
    private final Analyzer analyzer = new Analyzer(Synth.config(), jvm, false);
    private final Synth.Probe pool = synth.probe("pool", PathKind.EXECUTOR);
    /** Application threads blocked on a monitor, on average. */
    private int blockedThreads;

    /**
     * One tick: the JIT compiling {@code jitShare} of one CPU, the process using {@code cpuShare} of both cores, and
     * the pool either keeping up or busy with tasks waiting.
     */
    private void ticks(int n, double jitShare, double cpuShare, boolean poolSaturated) {
        for (int i = 0; i < n; i++) {
            jvm.blockedMillis += blockedThreads * Synth.TICK_NANOS / 1_000_000L;
            jvm.blockedNow = blockedThreads;
            jvm.jitMillis += Math.round(jitShare * Synth.TICK_NANOS / 1e6);
            jvm.cpuNanos += (long) (cpuShare * 2 * Synth.TICK_NANOS);
            pool.gauge(Gauge.POOL_SIZE, 2);
            if (poolSaturated) {
                pool.add(Slot.IN, 10).add(Slot.OUT, 8).add(Slot.CALLS, 10);
                pool.gauge(Gauge.ACTIVE, 2).gauge(Gauge.DEPTH, 10);
            } else {
                pool.add(Slot.IN, 10).add(Slot.OUT, 10).add(Slot.CALLS, 10);
                pool.gauge(Gauge.ACTIVE, 1).gauge(Gauge.DEPTH, 0);
            }
            analyzer.onSnapshot(synth.tick());
        }
    }

    private List<Incident> incidents() {
        return analyzer.view().incidents();
    }

    @Test
    void aStartUpTransientWhileTheJitCompilesOpensNoIncident() {
        blockedThreads = 1;
        // 3 s: the JIT at 150% of a CPU, the process at 90%, the pool backed up, a thread waiting for a monitor
        ticks(30, 1.5, 0.9, true);
        final List<Finding> held = analyzer.view().findings();
        assertThat(held)
                .extracting(Finding::kind)
                .contains(FindingKind.SATURATION, FindingKind.CPU_SATURATION, FindingKind.LOCK_CONTENTION);
        assertThat(held).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.INFO);
            assertThat(f.message()).contains("held at info: JVM warm-up, the JIT compiling 150% of a CPU");
            assertThat(f.evidence()).containsEntry("jit_cpu_share", 1.5);
        });
        blockedThreads = 0;
        ticks(100, 0.05, 0.3, false); // compiled: every stage keeps up
        assertThat(Synth.serious(analyzer.view())).isEmpty();
        assertThat(incidents()).isEmpty();
    }

    @Test
    void whatStillHoldsOnceTheJitHasSettledOpensItsIncidentThen() {
        ticks(30, 1.5, 0.5, true);
        assertThat(incidents()).isEmpty();
        final long settling = synth.epochMillis;
        ticks(30, 0.05, 0.5, true);
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.probe()).isEqualTo("pool");
            assertThat(i.kind()).isEqualTo("saturation");
            // The 1 s window's JIT share falls below 50% within 0.7 s, then half a window of warning ticks.
            assertThat(i.openedMillis() - settling).isBetween(500L, 1500L);
        });
        final Finding f = Synth.ofKind(analyzer.view(), FindingKind.SATURATION).get(0);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.message()).doesNotContain("held at info");
    }

    @Test
    void aFaultOnOneStageAfterTheWarmUpIsFoundAsUsual() {
        ticks(30, 1.5, 0.5, false);
        ticks(30, 0.05, 0.5, false);
        final long onset = synth.epochMillis;
        ticks(20, 0.05, 0.5, true);
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.probe()).isEqualTo("pool");
            assertThat(i.openedMillis() - onset).isLessThanOrEqualTo(1200L);
        });
    }

    @Test
    void gcPressureDuringTheWarmUpIsNotHeld() {
        ticks(10, 1.5, 0.5, false);
        final long onset = synth.epochMillis;
        for (int i = 0; i < 20; i++) {
            jvm.gcMillis += 30;
            jvm.gcCount += 2;
            ticks(1, 1.5, 0.5, false);
        }
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo("gc_pressure");
            // Confirmation and the sustain time, as without a warm-up; the JIT never settles in this test.
            assertThat(i.openedMillis() - onset).isLessThanOrEqualTo(1500L);
        });
    }

    @Test
    void aJvmThatDoesNotTimeItsCompilationsIsNeverWarmingUp() {
        jvm.jitMillis = -1; // stays -1: the ticks add no compilation time
        ticks(30, 0, 0.5, true);
        assertThat(incidents()).singleElement().satisfies(i -> assertThat(i.probe())
                .isEqualTo("pool"));
    }
}
