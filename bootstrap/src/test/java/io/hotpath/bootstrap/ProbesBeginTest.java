package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProbesBeginTest {
    @Test
    void beginCountsACallOnTheProbeAndAFailedProbeCountsNothingMore() {
        final Probe p = Probes.register("test.probes.begin", PathKind.METHOD, Dist.bit(Dist.LATENCY));
        for (int i = 0; i < 5; i++) {
            Probes.begin(p.id());
        }
        assertThat(p.total(Slot.CALLS)).isEqualTo(5);
        p.fail(new IllegalStateException("test"));
        assertThat(Probes.begin(p.id())).isZero();
        assertThat(p.total(Slot.CALLS)).isEqualTo(5);
    }

    @Test
    void errorsOfTheHostAreCountedAndDoNotStopTheProbe() {
        final Probe p = Probes.register("test.probes.host-errors", PathKind.METHOD, Dist.bit(Dist.LATENCY));
        p.fail(new StackOverflowError("deep application stack"));
        p.fail(new OutOfMemoryError("application heap"));
        assertThat(p.disabled()).isFalse();
        assertThat(p.fault()).isNull();
        assertThat(p.hostFaults()).isEqualTo(2);
        Probes.begin(p.id());
        assertThat(p.total(Slot.CALLS)).isEqualTo(1);
        // The agent's own defect still stops it.
        p.fail(new NullPointerException("agent defect"));
        assertThat(p.disabled()).isTrue();
        assertThat(p.fault()).isInstanceOf(NullPointerException.class);
        assertThat(p.hostFaults()).isEqualTo(2);
    }

    @Test
    void aDeepApplicationStackDoesNotStopTheProbe() {
        final Probe p = Probes.register("test.probes.deep-stack", PathKind.METHOD, Dist.bit(Dist.LATENCY));
        // Recurse until the stack overflows, calling the probe at every depth: some call runs out of stack inside
        // the recording (or just before it), which must not stop the probe.
        try {
            recurse(p.id());
        } catch (StackOverflowError expected) {
            // the application's own error, thrown on past the probe
        }
        assertThat(p.disabled()).isFalse();
        final long before = p.total(Slot.CALLS);
        Probes.begin(p.id());
        assertThat(p.total(Slot.CALLS)).isEqualTo(before + 1);
    }

    private static long recurse(int id) {
        return Probes.begin(id) + recurse(id) + 1;
    }

    @Test
    void aNewProbeDoesNotTimeEveryCall() {
        final Probe p = Probes.register("test.probes.initial-mask", PathKind.METHOD, Dist.bit(Dist.LATENCY));
        assertThat(p.sampleMask()).isEqualTo(Probe.INITIAL_SAMPLE_MASK).isPositive();
        int timed = 0;
        for (int i = 0; i < 640; i++) {
            if (Probes.begin(p.id()) != 0L) {
                timed++;
            }
        }
        assertThat(timed).isEqualTo(640 / (Probe.INITIAL_SAMPLE_MASK + 1));
    }

    @Test
    void aConfiguredInitialMaskAppliesToProbesConstructedAfterIt() {
        try {
            Probe.initialSampleMask(0);
            final Probe p = Probes.register("test.probes.initial-mask-zero", PathKind.METHOD, Dist.bit(Dist.LATENCY));
            assertThat(p.sampleMask()).isZero();
            for (int i = 0; i < 100; i++) {
                assertThat(Probes.begin(p.id())).as("call %d timed", i).isNotZero();
            }
        } finally {
            Probe.initialSampleMask(Probe.INITIAL_SAMPLE_MASK);
        }
        assertThat(Probes.register("test.probes.initial-mask-back", PathKind.METHOD, 0)
                        .sampleMask())
                .isEqualTo(Probe.INITIAL_SAMPLE_MASK);
        assertThatThrownBy(() -> Probe.initialSampleMask(5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5");
    }
}
