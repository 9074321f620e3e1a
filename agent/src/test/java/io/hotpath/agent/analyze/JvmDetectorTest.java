package io.hotpath.agent.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.finding.FindingKind;
import io.hotpath.agent.analyze.finding.Observation;
import io.hotpath.agent.analyze.jvm.JvmDetector;
import io.hotpath.agent.analyze.jvm.JvmSource;
import io.hotpath.exporter.Severity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JVM detectors on synthetic GC, CPU and thread readings. */
class JvmDetectorTest {
    /** A JVM whose readings a test advances tick by tick. */
    static final class FakeJvm implements JvmSource {
        long gcMillis;
        long gcCount;
        long cpuNanos;
        double machine = 0.2;
        long blockedMillis;
        int blockedNow;
        int pauseReads;
        long jitMillis;

        @Override
        public long gcPauseMillis() {
            pauseReads++;
            return gcMillis;
        }

        @Override
        public long gcCount() {
            return gcCount;
        }

        @Override
        public long processCpuNanos() {
            return cpuNanos;
        }

        @Override
        public double machineCpuLoad() {
            return machine;
        }

        @Override
        public long jitMillis() {
            return jitMillis;
        }

        @Override
        public int processors() {
            return 2;
        }

        @Override
        public ThreadReading threads() {
            return new ThreadReading(blockedMillis, blockedNow, blockedNow > 0 ? "java.lang.Object@1 held by t" : "");
        }
    }

    private final FakeJvm jvm = new FakeJvm();
    private final Synth synth = new Synth();
    private final Analyzer analyzer = new Analyzer(Synth.config(), jvm, false);

    private void ticks(int n, long gcMillisPerTick, int gcsPerTick, long blockedMillisPerTick, double cpuShare) {
        for (int i = 0; i < n; i++) {
            jvm.gcMillis += gcMillisPerTick;
            jvm.gcCount += gcsPerTick;
            jvm.blockedMillis += blockedMillisPerTick;
            jvm.blockedNow = blockedMillisPerTick > 0 ? 2 : 0;
            jvm.cpuNanos += (long) (cpuShare * 2 * Synth.TICK_NANOS);
            analyzer.onSnapshot(synth.tick());
        }
    }

    @Test
    void quietJvmHasNoFindings() {
        ticks(300, 1, 1, 0, 0.2);
        assertThat(analyzer.view().findings()).isEmpty();
    }

    @Test
    void gcPauseShareIsGcPressure() {
        ticks(50, 1, 0, 0, 0.2);
        final long onset = synth.epochMillis;
        ticks(20, 30, 2, 0, 0.2);
        final List<Finding> gc = Synth.ofKind(analyzer.view(), FindingKind.GC_PRESSURE);
        assertThat(gc).hasSize(1);
        assertThat(gc.get(0).probe()).isEqualTo(Observation.JVM);
        assertThat(gc.get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(gc.get(0).detectedMillis() - onset).isLessThanOrEqualTo(1000);
    }

    @Test
    @Timeout(10)
    void pauseTimeIsReadOnlyOnTicksWhoseCollectionCountMoved() {
        ticks(5, 0, 0, 0, 0.2);
        final int reads = jvm.pauseReads;
        ticks(20, 0, 0, 0, 0.2);
        assertThat(jvm.pauseReads).isEqualTo(reads);
        ticks(1, 30, 1, 0, 0.2);
        assertThat(jvm.pauseReads).isEqualTo(reads + 1);
        // A pause taken after twenty still ticks is in the window at once, and two of them make GC pressure.
        ticks(1, 30, 1, 0, 0.2);
        ticks(1, 0, 0, 0, 0.2);
        assertThat(jvm.pauseReads).isEqualTo(reads + 2);
        ticks(20, 30, 1, 0, 0.2);
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.GC_PRESSURE)).hasSize(1);
    }

    @Test
    void oneLongPauseIsNotGcPressure() {
        ticks(50, 0, 0, 0, 0.2);
        jvm.gcMillis += 400;
        jvm.gcCount += 1;
        ticks(50, 0, 0, 0, 0.2);
        assertThat(analyzer.view().findings()).isEmpty();
    }

    @Test
    void blockedThreadsAreLockContention() {
        ticks(20, 0, 0, 0, 0.2);
        ticks(20, 0, 0, 150, 0.2); // 1.5 threads blocked on average
        final List<Finding> locks = Synth.ofKind(analyzer.view(), FindingKind.LOCK_CONTENTION);
        assertThat(locks).extracting(Finding::severity).containsExactly(Severity.CRITICAL);
        assertThat(locks.get(0).message()).contains("java.lang.Object@1");
    }

    @Test
    void cpuOfTheProcessWarnsAndOfTheMachineInforms() {
        jvm.machine = 0.99;
        ticks(30, 0, 0, 0, 0.3);
        final List<Finding> machine = new ArrayList<>(Synth.ofKind(analyzer.view(), FindingKind.CPU_SATURATION));
        assertThat(machine).extracting(Finding::peakSeverity).containsExactly(Severity.INFO);
        ticks(30, 0, 0, 0, 0.9);
        assertThat(Synth.ofKind(analyzer.view(), FindingKind.CPU_SATURATION))
                .extracting(Finding::severity)
                .containsExactly(Severity.WARNING);
    }

    @Test
    void anUnavailableMachineLoadIsLeftOutNotShownAsZero() {
        for (double unavailable : new double[] {-1.0, Double.NaN}) {
            final FakeJvm fake = new FakeJvm();
            fake.machine = unavailable;
            final Synth s = new Synth();
            final Analyzer a = new Analyzer(Synth.config(), fake, false);
            for (int i = 0; i < 50; i++) {
                fake.cpuNanos += (long) (0.9 * 2 * Synth.TICK_NANOS); // 90% of 2 cores
                a.onSnapshot(s.tick());
            }
            final Finding f = Synth.ofKind(a.view(), FindingKind.CPU_SATURATION).get(0);
            assertThat(f.message()).as("load %s", unavailable).isEqualTo("CPU saturated: process 90% of 2 cores");
            assertThat(f.evidence()).containsOnlyKeys("process_cpu_share", "processors");
            assertThat(f.impact()).isLessThanOrEqualTo(1.0).isGreaterThan(0.0);
        }
        // A real reading of 0 is a reading: shown.
        jvm.machine = 0.0;
        ticks(50, 0, 0, 0, 0.9);
        final Finding f =
                Synth.ofKind(analyzer.view(), FindingKind.CPU_SATURATION).get(0);
        assertThat(f.message()).isEqualTo("CPU saturated: process 90%, machine 0% of 2 cores");
        assertThat(f.evidence()).containsEntry("machine_cpu_load", 0.0);
    }

    @Test
    void anUnchangedCpuFindingIsNotRebuiltOrReformattedEveryTick() {
        final AnalyzerConfig c = Synth.config();
        final JvmDetector detector = new JvmDetector(jvm, c);
        jvm.machine = 0.99; // another process takes the CPU: an info observation while it lasts
        final List<Observation> seen = new ArrayList<>();
        long now = 1_000_000_000L;
        for (int i = 0; i < 40; i++) {
            now += c.tick().toNanos();
            jvm.cpuNanos += c.tick().toNanos() / 10; // 5 % of 2 cores, steady
            final List<Observation> out = new ArrayList<>();
            detector.detect(now, c, out);
            out.stream().filter(o -> o.kind() == FindingKind.CPU_SATURATION).forEach(seen::add);
        }
        assertThat(seen).hasSizeGreaterThan(30);
        assertThat(seen).allMatch(o -> o == seen.get(seen.size() - 1));
        assertThat(seen.get(0).message()).isEqualTo("CPU saturated: process 5%, machine 99% of 2 cores");

        jvm.machine = 0.97;
        final List<Observation> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            now += c.tick().toNanos();
            out.clear();
            detector.detect(now, c, out);
        }
        assertThat(out).singleElement().satisfies(o -> assertThat(o.message()).contains("machine 97%"));
    }
}
