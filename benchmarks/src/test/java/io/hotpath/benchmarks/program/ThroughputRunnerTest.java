package io.hotpath.benchmarks.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The warm CPU per delivery comes from the progress lines of the run's second half only. */
@Timeout(30)
class ThroughputRunnerTest {
    private static String line(double t, long cpuMs, long consumedTotal) {
        return String.format(
                java.util.Locale.ROOT,
                "progress t=%.1fs published=20000/s consumed=80000/s ingressDepth=0 dispatchQueue=0"
                        + " subscriberBacklog=0 overflow=0 rejected=0 p99=100us cpuMs=%d consumedTotal=%d",
                t,
                cpuMs,
                consumedTotal);
    }

    @Test
    void warmCpuIsTheCpuBetweenTheFirstLineOfTheSecondHalfAndTheLastPerDelivery() {
        final String stdout = String.join(
                "\n",
                "some start-up line",
                line(1.0, 900, 80_000), // start-up: expensive
                line(2.0, 1_000, 160_000),
                line(3.0, 1_100, 240_000), // first line past half of 4.0 s
                line(4.0, 1_300, 400_000),
                "GROUND-TRUTH {}");
        // (1300 - 1100) ms over (400000 - 240000) deliveries
        assertThat(ThroughputRunner.warmCpu(stdout)).isCloseTo(200e6 / 160_000, within(1e-6));
    }

    @Test
    void tooFewProgressLinesGiveNoFigure() {
        assertThat(ThroughputRunner.warmCpu(line(1.0, 100, 10) + "\n" + line(2.0, 200, 20)))
                .isNaN();
        assertThat(ThroughputRunner.warmCpu("progress t=1.0s consumed=5/s (an old line without CPU)"))
                .isNaN();
    }
}
