package io.hotpath.agent.optimize.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The queueing formulas against values from Erlang C tables and closed forms. */
class ErlangTest {
    @Test
    void erlangCMatchesTheTables() {
        // Probability of waiting, c servers at a Erlangs offered (published Erlang C tables, 4 decimals).
        assertThat(Erlang.c(1, 0.5)).isCloseTo(0.5, within(1e-12)); // M/M/1: rho
        assertThat(Erlang.c(2, 1.0)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Erlang.c(5, 4.0)).isCloseTo(0.5541, within(5e-5));
        assertThat(Erlang.c(10, 8.0)).isCloseTo(0.4092, within(5e-5));
        assertThat(Erlang.c(20, 15.0)).isCloseTo(0.1604, within(5e-5));
        assertThat(Erlang.c(3, 2.5)).isCloseTo(0.7022, within(5e-5));
        // Large pools: no overflow of a^c / c!.
        assertThat(Erlang.c(500, 450.0)).isBetween(0.0, 1.0);
    }

    @Test
    void unstableOrBadInputIsNaN() {
        assertThat(Erlang.c(2, 2.0)).isNaN();
        assertThat(Erlang.c(0, 0.5)).isNaN();
        assertThat(Erlang.c(2, -1)).isNaN();
        assertThat(Erlang.sojournQuantile(1, 10, 10, 0.99)).isNaN();
        assertThat(Erlang.sojournQuantile(1, 5, 10, 1.5)).isNaN();
    }

    @Test
    void meanWaitIsTheClosedForm() {
        // M/M/1: Wq = rho / (mu - lambda); M/M/2 at lambda 1, mu 1: C = 1/3, Wq = C / (2 - 1).
        assertThat(Erlang.meanWait(1, 5, 10)).isCloseTo(0.5 / 5, within(1e-12));
        assertThat(Erlang.meanWait(2, 1, 1)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void sojournQuantileOfMm1IsExponential() {
        // M/M/1: the sojourn time is Exp(mu - lambda), p99 = ln(100) / (mu - lambda).
        assertThat(Erlang.sojournQuantile(1, 5, 10, 0.99)).isCloseTo(Math.log(100) / 5, within(1e-9));
        assertThat(Erlang.sojournQuantile(1, 900, 1000, 0.5)).isCloseTo(Math.log(2) / 100, within(1e-9));
    }

    @Test
    void sojournTailIsConsistentForManyServers() {
        // The tail at the quantile found is 1 - q, and more servers never make it slower.
        final double t = Erlang.sojournQuantile(4, 30, 10, 0.99);
        assertThat(Erlang.exceeds(t, Erlang.c(4, 3.0), 10, 40 - 30)).isCloseTo(0.01, within(1e-9));
        assertThat(Erlang.sojournQuantile(5, 30, 10, 0.99)).isLessThan(t);
        // With no waiting at all the p99 is the service time's: ln(100) / mu.
        assertThat(Erlang.sojournQuantile(50, 1, 10, 0.99)).isCloseTo(Math.log(100) / 10, within(1e-6));
        // theta == mu: the (1 + mu t) branch, continuous with its neighbours.
        final double equal = Erlang.sojournQuantile(2, 10, 10, 0.99); // theta = 20 - 10 = mu
        assertThat(equal).isCloseTo(Erlang.sojournQuantile(2, 10.0001, 10, 0.99), within(1e-4));
    }

    @Test
    void poolEstimateFromWhatTheAnalyzerMeasures() {
        // 2 threads both busy completing 1,000 tasks/s (1 ms each) while 1,500/s are offered: saturated, and one
        // more thread takes all of it.
        final PoolEstimate now = PoolEstimate.of(2, 1_500, 1_000, 2.0);
        assertThat(now.throughputPerS()).isCloseTo(1_000, within(1e-9));
        assertThat(now.p99Seconds()).isNaN();
        final PoolEstimate plusOne = PoolEstimate.of(3, 1_500, 1_000, 2.0);
        assertThat(plusOne.throughputPerS()).isCloseTo(1_500, within(1e-9));
        assertThat(plusOne.p99Seconds()).isCloseTo(Erlang.sojournQuantile(3, 1_500, 500, 0.99), within(1e-12));
        assertThat(PoolEstimate.of(2, 100, 0, 0)).isNull();
    }
}
