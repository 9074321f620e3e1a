package io.hotpath.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Probe;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SamplingControllerTest {
    @Test
    void coldProbesTimeEveryCallHotOnesAboutTheTargetRate() {
        assertThat(SamplingController.maskFor(0, 1000)).isZero();
        assertThat(SamplingController.maskFor(999, 1000)).isZero();
        assertThat(SamplingController.maskFor(1500, 1000)).isEqualTo(1);
        assertThat(SamplingController.maskFor(10_000, 1000)).isEqualTo(15);
        assertThat(SamplingController.maskFor(1_000_000, 1000)).isEqualTo(1023);
        assertThat(SamplingController.maskFor(1e12, 1000)).isEqualTo(SamplingController.MAX_MASK);
        for (double rate = 1001; rate < 4e6; rate *= 1.37) {
            final int mask = SamplingController.maskFor(rate, 1000);
            assertThat(Integer.bitCount(mask + 1)).isEqualTo(1);
            final double timedPerSecond = rate / (mask + 1);
            assertThat(timedPerSecond).isBetween(500.0, 1000.0);
        }
    }

    @Test
    void aNewProbeStartsAtTheMaskOfTheAssumedFirstRate() {
        assertThat(SamplingController.initialMask(1000)).isEqualTo(Probe.INITIAL_SAMPLE_MASK);
        assertThat(SamplingController.initialMask(1_000_000))
                .as("a target that times every call")
                .isZero();
        assertThat(SamplingController.initialMask(64_000)).isZero();
        assertThat(SamplingController.initialMask(100)).isEqualTo(1023);
    }
}
