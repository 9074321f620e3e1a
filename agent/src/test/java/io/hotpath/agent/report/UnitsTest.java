package io.hotpath.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UnitsTest {
    @Test
    void durations() {
        assertThat(Units.duration(0)).isEqualTo("0ns");
        assertThat(Units.duration(850)).isEqualTo("850ns");
        assertThat(Units.duration(999)).isEqualTo("999ns");
        assertThat(Units.duration(1_000)).isEqualTo("1.00\u00b5s");
        assertThat(Units.duration(12_345)).isEqualTo("12.3\u00b5s");
        assertThat(Units.duration(999_499)).isEqualTo("999\u00b5s");
        assertThat(Units.duration(999_500)).isEqualTo("1.00ms"); // rounding carries into the next unit
        assertThat(Units.duration(4_560_000)).isEqualTo("4.56ms");
        assertThat(Units.duration(1_200_000_000)).isEqualTo("1.20s");
        assertThat(Units.duration(4_000_000_000_000L)).isEqualTo("4000s");
        assertThat(Units.duration(-850)).isEqualTo("-850ns");
    }

    @Test
    void countsAndRates() {
        assertThat(Units.count(0)).isEqualTo("0");
        assertThat(Units.count(999)).isEqualTo("999");
        assertThat(Units.count(11_000)).isEqualTo("11.0k");
        assertThat(Units.count(4_560_000)).isEqualTo("4.56M");
        assertThat(Units.count(Long.MAX_VALUE)).isEqualTo("9.22E");
        assertThat(Units.rate(0.001)).isEqualTo("0");
        assertThat(Units.rate(0.5)).isEqualTo("0.50");
        assertThat(Units.rate(850)).isEqualTo("850");
        assertThat(Units.rate(41_234)).isEqualTo("41.2k");
        assertThat(Units.rate(Double.NaN)).isEqualTo("?");
    }

    @Test
    void elapsed() {
        assertThat(Units.elapsed(1.0)).isEqualTo("1.00s");
        assertThat(Units.elapsed(12.34)).isEqualTo("12.3s");
        assertThat(Units.elapsed(307)).isEqualTo("5m07s");
        assertThat(Units.elapsed(3723)).isEqualTo("1h02m03s");
    }

    @Test
    void fixedPrintsWhatTheFormatterPrints() {
        final double[] edges = {
            0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -0.5,
            -0.01,
            0.005,
            0.015,
            0.125,
            1.005,
            9.995,
            99.95,
            999.5,
            1e-7,
            1e15,
            4.5e15,
            1e300,
            -1e300,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY
        };
        for (double v : edges) {
            for (int d = 0; d <= 8; d++) {
                assertThat(Units.fixed(v, d))
                        .as("%s with %d decimals", v, d)
                        .isEqualTo(String.format(java.util.Locale.ROOT, "%." + d + "f", v));
            }
        }
        final java.util.SplittableRandom r = new java.util.SplittableRandom(12);
        for (int i = 0; i < 5_000; i++) {
            // Magnitudes from 1e-4 to 1e9, both signs, and values on a grid of hundredths (where ties live).
            final double v = i % 2 == 0
                    ? (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble(-4, 9))
                    : r.nextInt(-1_000_000, 1_000_000) / 100.0 + (r.nextBoolean() ? 0.005 : 0);
            final int d = r.nextInt(0, 7);
            assertThat(Units.fixed(v, d))
                    .as("%s with %d decimals", v, d)
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%." + d + "f", v));
        }
    }

    @Test
    void fixedRefusesNegativeDecimals() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Units.fixed(1, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decimals must be 0 or more, not -1");
    }
}
