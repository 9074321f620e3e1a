package io.hotpath.agent.optimize.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WelchTestTest {
    @Test
    void studentTailsMatchTables() {
        // Two-sided critical values from Student's t table.
        assertThat(WelchTest.twoSidedP(2.228, 10)).isCloseTo(0.05, within(5e-4));
        assertThat(WelchTest.twoSidedP(3.169, 10)).isCloseTo(0.01, within(2e-4));
        assertThat(WelchTest.twoSidedP(2.776, 4)).isCloseTo(0.05, within(5e-4));
        assertThat(WelchTest.twoSidedP(1.96, 1e6)).isCloseTo(0.05, within(5e-4));
        assertThat(WelchTest.twoSidedP(0, 5)).isCloseTo(1, within(1e-9));
        assertThat(WelchTest.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
        assertThat(WelchTest.logGamma(0.5)).isCloseTo(Math.log(Math.sqrt(Math.PI)), within(1e-12));
    }

    @Test
    void welchStatisticAndDegreesOfFreedom() {
        // Reference values from scipy.stats.ttest_ind(b, a, equal_var=False).
        final double[] a = {19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0};
        final double[] b = {28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7};
        final WelchTest.Result r = WelchTest.test(a, b);
        assertThat(r.meanBefore()).isCloseTo(19.37, within(1e-9));
        assertThat(r.meanAfter()).isCloseTo(22.51, within(1e-9));
        assertThat(r.t()).isCloseTo(2.07401, within(1e-4));
        assertThat(r.df()).isCloseTo(10.2092, within(1e-3));
        assertThat(r.p()).isCloseTo(0.06428, within(1e-4));
        assertThat(r.significantlyHigher(0.05)).isFalse();
        assertThat(r.significantlyHigher(0.1)).isTrue();
    }

    @Test
    void noisyPlateauIsNotSignificantAndAStepIs() {
        final Random random = new Random(42);
        int falseAlarms = 0;
        int detected = 0;
        for (int trial = 0; trial < 500; trial++) {
            final double[] before = new double[4];
            final double[] same = new double[4];
            final double[] lower = new double[4];
            for (int i = 0; i < 4; i++) {
                before[i] = 1000 + 50 * random.nextGaussian();
                same[i] = 1000 + 50 * random.nextGaussian();
                lower[i] = 800 + 50 * random.nextGaussian();
            }
            if (WelchTest.test(before, same).p() < 0.05) {
                falseAlarms++;
            }
            if (WelchTest.test(before, lower).significantlyLower(0.05)) {
                detected++;
            }
        }
        assertThat(falseAlarms).isLessThan(40); // about 5% expected
        assertThat(detected).isGreaterThan(450); // a 4-sigma step is found nearly always
    }

    @Test
    void constantSamples() {
        assertThat(WelchTest.test(new double[] {5, 5}, new double[] {5, 5}).p()).isEqualTo(1);
        assertThat(WelchTest.test(new double[] {5, 5}, new double[] {4, 4}).significantlyLower(0.05))
                .isTrue();
    }
}
