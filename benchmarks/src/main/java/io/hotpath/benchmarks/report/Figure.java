package io.hotpath.benchmarks.report;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/**
 * A measured quantity as the report shows it: the median of its samples with the full spread (min–max) and the
 * number of samples. Medians and ranges rather than mean ± error because a handful of iterations on a 2-core VM is
 * not normally distributed, and the range hides nothing.
 */
public record Figure(double median, double min, double max, int n) {
    /** The figure of these samples; there must be at least one. */
    public static Figure of(Collection<Double> samples) {
        final double[] s =
                samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (s.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        final int mid = s.length / 2;
        final double median = s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
        return new Figure(median, s[0], s[s.length - 1], s.length);
    }

    /** The figure of these samples; there must be at least one. */
    public static Figure of(double... samples) {
        return of(Arrays.stream(samples).boxed().toList());
    }

    /**
     * {@code this − other}: difference of the medians, with the widest range the two spreads allow
     * ({@code min − other.max} to {@code max − other.min}).
     */
    public Figure minus(Figure other) {
        return new Figure(median - other.median, min - other.max, max - other.min, Math.min(n, other.n));
    }

    /** Ratio of the medians. */
    public double ratioTo(Figure other) {
        return median / other.median;
    }

    /** {@code 12.3 [11.9–12.8]}, with precision chosen by magnitude. */
    public String format() {
        return number(median) + " [" + number(min) + "–" + number(max) + "]";
    }

    /** A signed difference: {@code +4.1 [+3.2–+5.0]}. */
    public String formatSigned() {
        return signed(median) + " [" + signed(min) + "–" + signed(max) + "]";
    }

    static String signed(double v) {
        return (v >= 0 ? "+" : "−") + number(Math.abs(v));
    }

    /** Two decimals below 10, one below 1000, none above. */
    public static String number(double v) {
        final double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, a >= 10 ? "%.1f" : "%.2f", v);
    }
}
