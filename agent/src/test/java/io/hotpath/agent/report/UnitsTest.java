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
}
