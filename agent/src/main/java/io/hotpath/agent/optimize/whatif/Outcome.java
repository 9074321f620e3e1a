package io.hotpath.agent.optimize.whatif;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A change's estimate and, once its evaluation windows are over, what it did: the what-if part of an audit entry.
 * The change (or recommendation) carries the estimate alone; the verdict that ends its evaluation ({@code accept} or
 * {@code rollback}) carries the same estimate with the observed figures, the mean throughput and the median p99 of
 * the windows measured at the new value.
 *
 * @param model which estimate ({@link Prediction#model()})
 * @param throughputBeforePerS the path's throughput in the window the estimate started from
 * @param predictedThroughputPerS the estimate
 * @param predictedP99Millis the estimated p99, NaN when the model cannot tell
 * @param observedThroughputPerS measured after the change, NaN until the verdict
 * @param observedP99Millis measured after the change, NaN until the verdict (or when nothing was timed)
 * @param windows how many windows the observed figures span, 0 until the verdict
 */
public record Outcome(
        String model,
        double throughputBeforePerS,
        double predictedThroughputPerS,
        double predictedP99Millis,
        double observedThroughputPerS,
        double observedP99Millis,
        int windows) {
    /** The estimate of a change, nothing observed yet. */
    public static Outcome predicted(Prediction p) {
        return new Outcome(
                p.model(), p.throughputNowPerS(), p.throughputPerS(), p.p99Millis(), Double.NaN, Double.NaN, 0);
    }

    /** The same estimate with what was observed. */
    public Outcome observed(double throughputPerS, double p99Millis, int windowCount) {
        return new Outcome(
                model,
                throughputBeforePerS,
                predictedThroughputPerS,
                predictedP99Millis,
                throughputPerS,
                p99Millis,
                windowCount);
    }

    /** Predicted over observed throughput minus one (+0.10: the estimate was 10 % high); NaN before the verdict. */
    public double throughputError() {
        return observedThroughputPerS > 0 ? predictedThroughputPerS / observedThroughputPerS - 1 : Double.NaN;
    }

    /**
     * The figures by name, as the dump's {@code what_if} object and the audit event's {@code
     * hotpath.optimizer.what_if.} attributes carry them: {@code throughput_before_per_s}, {@code
     * predicted_throughput_per_s}, {@code predicted_p99_ms}, and once observed {@code observed_windows}, {@code
     * observed_throughput_per_s}, {@code observed_p99_ms}, {@code throughput_error}. An unknown figure is left out, not
     * given as 0; {@code observed_windows} is an {@link Integer}, the rest {@link Double}s.
     */
    public Map<String, Number> figures() {
        final Map<String, Number> out = new LinkedHashMap<>();
        finite(out, "throughput_before_per_s", throughputBeforePerS);
        finite(out, "predicted_throughput_per_s", predictedThroughputPerS);
        finite(out, "predicted_p99_ms", predictedP99Millis);
        if (windows > 0) {
            out.put("observed_windows", windows);
            finite(out, "observed_throughput_per_s", observedThroughputPerS);
            finite(out, "observed_p99_ms", observedP99Millis);
            finite(out, "throughput_error", throughputError());
        }
        return out;
    }

    private static void finite(Map<String, Number> out, String name, double v) {
        if (Double.isFinite(v)) {
            out.put(name, v);
        }
    }

    /** For the log line: {@code predicted 1.50k/s p99 4.6 ms (M/M/c), observed 1.41k/s p99 5.0 ms (+6%)}. */
    public String words() {
        final StringBuilder b = new StringBuilder("predicted ")
                .append(rate(predictedThroughputPerS))
                .append("/s");
        if (Double.isFinite(predictedP99Millis)) {
            b.append(String.format(Locale.ROOT, " p99 %.1f ms", predictedP99Millis));
        }
        b.append(" (")
                .append(model)
                .append(", from ")
                .append(rate(throughputBeforePerS))
                .append("/s)");
        if (windows > 0) {
            b.append(", observed ").append(rate(observedThroughputPerS)).append("/s");
            if (Double.isFinite(observedP99Millis)) {
                b.append(String.format(Locale.ROOT, " p99 %.1f ms", observedP99Millis));
            }
            final double err = throughputError();
            if (Double.isFinite(err)) {
                b.append(String.format(Locale.ROOT, " (estimate %+.0f%%)", err * 100));
            }
        }
        return b.toString();
    }

    private static String rate(double v) {
        if (!Double.isFinite(v)) {
            return "?";
        }
        return v >= 1000 ? String.format(Locale.ROOT, "%.2fk", v / 1000) : String.format(Locale.ROOT, "%.1f", v);
    }
}
