package io.hotpath.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ScenarioTest {
    private static final double RATE = 5000;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long DURATION = 10 * SECOND;

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void messagesDueIsTheIntegralOfTheRate(Scenario scenario) {
        // Midpoint rule over 1 ms steps; the closed form must agree to within a message.
        final long step = TimeUnit.MILLISECONDS.toNanos(1);
        double integral = 0;
        for (long t = 0; t < DURATION; t += step) {
            integral += scenario.rateAt(RATE, t + step / 2, DURATION) * step / 1e9;
            if ((t + step) % SECOND == 0) {
                assertThat(scenario.messagesDue(RATE, t + step, DURATION))
                        .as("%s at %d ms", scenario, (t + step) / 1_000_000)
                        .isCloseTo(integral, within(1.0));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void messagesDueNeverDecreases(Scenario scenario) {
        double previous = 0;
        for (long t = 0; t <= DURATION + SECOND; t += TimeUnit.MICROSECONDS.toNanos(250)) {
            final double due = scenario.messagesDue(RATE, t, DURATION);
            assertThat(due).isGreaterThanOrEqualTo(previous);
            previous = due;
        }
    }

    @Test
    void totalsOverTheWholeRun() {
        assertThat(Scenario.BASIC.messagesDue(RATE, DURATION, DURATION)).isCloseTo(50_000, within(1e-6));
        assertThat(Scenario.SUSTAINED.messagesDue(RATE, DURATION, DURATION)).isCloseTo(50_000, within(1e-6));
        // Bursts average out to the target rate over whole periods.
        assertThat(Scenario.BURST.messagesDue(RATE, DURATION, DURATION)).isCloseTo(50_000, within(1e-6));
        // The ramp averages (10% + 100%) / 2 = 55% of the target.
        assertThat(Scenario.RAMP_UP.messagesDue(RATE, DURATION, DURATION)).isCloseTo(27_500, within(1e-6));
    }

    @Test
    void soakAlternatesBurstAndSteadyPhases() {
        final long minute = 60 * SECOND;
        assertThat(Scenario.SOAK.rateAt(RATE, 0, 10 * minute)).isEqualTo(4 * RATE);
        assertThat(Scenario.SOAK.rateAt(RATE, 500_000_000, 10 * minute)).isZero();
        assertThat(Scenario.SOAK.rateAt(RATE, 30 * SECOND + 500_000_000, 10 * minute))
                .isEqualTo(RATE);
        assertThat(Scenario.SOAK.rateAt(RATE, minute + 500_000_000, 10 * minute))
                .isZero();
        // Whole phases average the target rate; half-way into a steady phase too.
        assertThat(Scenario.SOAK.messagesDue(RATE, 30 * SECOND, 10 * minute)).isCloseTo(30 * RATE, within(1e-6));
        assertThat(Scenario.SOAK.messagesDue(RATE, 45 * SECOND, 10 * minute)).isCloseTo(45 * RATE, within(1e-6));
        assertThat(Scenario.SOAK.messagesDue(RATE, 10 * minute, 10 * minute)).isCloseTo(600 * RATE, within(1e-6));
        // A quarter into a burst phase of the second cycle: one minute's worth plus the burst's quarter second at 4x.
        assertThat(Scenario.SOAK.messagesDue(RATE, minute + 250_000_000, 10 * minute))
                .isCloseTo(60 * RATE + RATE, within(1e-6));
    }

    @Test
    void rateShapes() {
        assertThat(Scenario.BURST.rateAt(RATE, 0, DURATION)).isEqualTo(4 * RATE);
        assertThat(Scenario.BURST.rateAt(RATE, 249_000_000, DURATION)).isEqualTo(4 * RATE);
        assertThat(Scenario.BURST.rateAt(RATE, 250_000_000, DURATION)).isZero();
        assertThat(Scenario.BURST.rateAt(RATE, 999_000_000, DURATION)).isZero();
        assertThat(Scenario.BURST.rateAt(RATE, SECOND, DURATION)).isEqualTo(4 * RATE);

        assertThat(Scenario.RAMP_UP.rateAt(RATE, 0, DURATION)).isCloseTo(500, within(1e-9));
        assertThat(Scenario.RAMP_UP.rateAt(RATE, DURATION / 2, DURATION)).isCloseTo(2750, within(1e-9));
        assertThat(Scenario.RAMP_UP.rateAt(RATE, DURATION, DURATION)).isCloseTo(RATE, within(1e-9));
        assertThat(Scenario.RAMP_UP.rateAt(RATE, 2 * DURATION, DURATION)).isCloseTo(RATE, within(1e-9));

        assertThat(Scenario.STRESS.rateAt(Double.POSITIVE_INFINITY, SECOND, DURATION))
                .isInfinite();
    }

    @Test
    void cliNames() {
        for (Scenario scenario : Scenario.values()) {
            assertThat(Scenario.fromCliName(scenario.cliName())).isSameAs(scenario);
        }
        assertThat(Scenario.fromCliName("RAMP_UP")).isSameAs(Scenario.RAMP_UP);
        assertThat(Scenario.cliNames()).isEqualTo("basic, burst, stress, ramp-up, sustained, soak");
    }
}
