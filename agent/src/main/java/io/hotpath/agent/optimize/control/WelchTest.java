package io.hotpath.agent.optimize.control;

/**
 * Welch's unequal-variances t-test on two small samples (per-window throughput before and after a change). Chosen
 * over Mann-Whitney because with 4 to 8 windows per side the rank test cannot reach the usual significance levels
 * (its smallest two-sided p for 4 against 4 is 0.029), while window means are close enough to normal.
 */
final class WelchTest {
    private WelchTest() {}

    /**
     * The outcome.
     *
     * @param meanBefore mean of the first sample
     * @param meanAfter mean of the second sample
     * @param t Welch's t statistic of after minus before
     * @param df Welch-Satterthwaite degrees of freedom
     * @param p two-sided p-value
     */
    public record Result(double meanBefore, double meanAfter, double t, double df, double p) {
        /** Relative change of the mean, after over before minus one. */
        public double relativeChange() {
            return meanBefore == 0 ? (meanAfter == 0 ? 0 : Double.POSITIVE_INFINITY) : meanAfter / meanBefore - 1;
        }

        /** Whether after is lower than before at significance {@code alpha}. */
        public boolean significantlyLower(double alpha) {
            return meanAfter < meanBefore && p < alpha;
        }

        /** Whether after is higher than before at significance {@code alpha}. */
        public boolean significantlyHigher(double alpha) {
            return meanAfter > meanBefore && p < alpha;
        }
    }

    /** Compares two samples of at least two values each. */
    public static Result test(double[] before, double[] after) {
        if (before.length < 2 || after.length < 2) {
            throw new IllegalArgumentException("need at least two values per sample");
        }
        final double m1 = mean(before);
        final double m2 = mean(after);
        final double v1 = variance(before, m1) / before.length;
        final double v2 = variance(after, m2) / after.length;
        final double se2 = v1 + v2;
        if (se2 == 0) {
            // Both samples constant: any difference is certain, none is no evidence at all.
            return new Result(
                    m1, m2, m1 == m2 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, m2 - m1), 0, m1 == m2 ? 1 : 0);
        }
        final double t = (m2 - m1) / Math.sqrt(se2);
        final double df = se2 * se2 / (v1 * v1 / (before.length - 1) + v2 * v2 / (after.length - 1));
        return new Result(m1, m2, t, df, twoSidedP(t, df));
    }

    /** Two-sided p-value of Student's t with {@code df} degrees of freedom: I_{df/(df+t^2)}(df/2, 1/2). */
    static double twoSidedP(double t, double df) {
        if (Double.isInfinite(t)) {
            return 0;
        }
        final double x = df / (df + t * t);
        return Math.min(1, Math.max(0, regularizedBeta(x, df / 2, 0.5)));
    }

    static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    static double variance(double[] xs, double mean) {
        double s = 0;
        for (double x : xs) {
            s += (x - mean) * (x - mean);
        }
        return s / (xs.length - 1);
    }

    /** The regularized incomplete beta function I_x(a, b), by Lentz's continued fraction. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        final double front =
                Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
        if (x < (a + 1) / (a + b + 2)) {
            return front * betaFraction(x, a, b) / a;
        }
        return 1 - front * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = Math.abs(d) < tiny ? tiny : d;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 300; m++) {
            final int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            final double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-12) {
                break;
            }
        }
        return h;
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9), accurate to about 15 digits. */
    static double logGamma(double x) {
        final double[] g = {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        final double z = x - 1;
        double a = g[0];
        final double t = z + 7.5;
        for (int i = 1; i < 9; i++) {
            a += g[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
