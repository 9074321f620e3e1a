package io.hotpath.agent.optimize.whatif;

/**
 * The M/M/c queue: {@code c} servers, Poisson arrivals at rate {@code lambda}, exponential service at rate {@code mu}
 * per server. Formulas only; every method returns NaN for an unstable queue ({@code lambda >= c * mu}) or a bad
 * argument instead of throwing.
 */
public final class Erlang {
    private Erlang() {}

    /**
     * Erlang C: the probability that an arrival waits, for {@code c} servers and offered load {@code a = lambda / mu}
     * (Erlangs). Computed through the Erlang B recursion, {@code B(k) = a B(k-1) / (k + a B(k-1))}, which neither
     * overflows nor loses precision for large {@code c} the way {@code a^c / c!} does; then {@code C = c B / (c - a
     * (1 - B))}.
     */
    public static double c(int c, double a) {
        if (c < 1 || !(a >= 0) || a >= c) {
            return Double.NaN;
        }
        double b = 1;
        for (int k = 1; k <= c; k++) {
            b = a * b / (k + a * b);
        }
        return c * b / (c - a * (1 - b));
    }

    /** Mean time an arrival waits before service: {@code C / (c mu - lambda)}. */
    public static double meanWait(int c, double lambda, double mu) {
        final double pw = c(c, mu > 0 ? lambda / mu : Double.NaN);
        return pw / (c * mu - lambda);
    }

    /**
     * The time within which a fraction {@code q} of arrivals leave (waiting plus service), for example {@code q =
     * 0.99} for the p99. The sojourn time is the service time {@code S ~ Exp(mu)} plus, with probability {@code C},
     * a wait {@code W ~ Exp(theta)}, {@code theta = c mu - lambda}:
     *
     * <pre>
     * P(T &gt; t) = (1 - C) e^(-mu t) + C (theta e^(-mu t) - mu e^(-theta t)) / (theta - mu)
     * </pre>
     *
     * ({@code (1 + mu t) e^(-mu t)} in the second term when {@code theta = mu}), solved for {@code P(T > t) = 1 - q}
     * by bisection. For {@code c = 1} this is the M/M/1 sojourn time, exponential with rate {@code mu - lambda}.
     */
    public static double sojournQuantile(int c, double lambda, double mu, double q) {
        final double pw = c(c, mu > 0 ? lambda / mu : Double.NaN);
        if (Double.isNaN(pw) || !(q > 0 && q < 1)) {
            return Double.NaN;
        }
        final double theta = c * mu - lambda;
        final double tail = 1 - q;
        double lo = 0;
        double hi = Math.log(1 / tail) * 4 / Math.min(mu, theta);
        while (exceeds(hi, pw, mu, theta) > tail) {
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
            final double mid = 0.5 * (lo + hi);
            if (exceeds(mid, pw, mu, theta) > tail) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** {@code P(T > t)} of the M/M/c sojourn time (see {@link #sojournQuantile}). */
    static double exceeds(double t, double pw, double mu, double theta) {
        final double service = Math.exp(-mu * t);
        final double both = Math.abs(theta - mu) < 1e-9 * mu
                ? (1 + mu * t) * service
                : (theta * service - mu * Math.exp(-theta * t)) / (theta - mu);
        return (1 - pw) * service + pw * both;
    }
}
