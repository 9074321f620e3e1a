package io.hotpath.agent.report;

import java.util.Locale;

/**
 * Human-readable numbers for the terminal: three significant digits and a unit, so that a column stays narrow
 * whatever the magnitude ({@code 850ns}, {@code 12.3µs}, {@code 4.56ms}, {@code 1.20s}; {@code 41.2k}, {@code 1.20M}).
 */
public final class Units {
    private static final String[] TIME_UNITS = {"ns", "\u00b5s", "ms", "s"};
    private static final String[] COUNT_SUFFIXES = {"", "k", "M", "G", "T", "P", "E"};

    private Units() {}

    /** A duration in nanoseconds, e.g. {@code 850ns}, {@code 12.3µs}, {@code 4.56ms}, {@code 1.20s}, {@code 125s}. */
    public static String duration(long nanos) {
        if (nanos < 0) {
            // Long.MIN_VALUE has no positive counterpart; it is not a duration anyone records.
            return nanos == Long.MIN_VALUE ? "-inf" : "-" + duration(-nanos);
        }
        if (nanos < 1000) {
            return nanos + "ns";
        }
        double value = nanos;
        int unit = 0;
        // Move up while the value would print as 1000 or more; seconds are the largest unit, so long
        // durations print as e.g. 4000s rather than switching to minutes.
        while (unit < TIME_UNITS.length - 1 && value >= 999.5) {
            value /= 1000.0;
            unit++;
        }
        return threeDigits(value) + TIME_UNITS[unit];
    }

    /** A non-negative count, exact below 1000, e.g. {@code 850}, {@code 11.0k}, {@code 4.56M}. */
    public static String count(long n) {
        if (n < 0) {
            return n == Long.MIN_VALUE ? "-inf" : "-" + count(-n);
        }
        if (n < 1000) {
            return Long.toString(n);
        }
        return scaled(n);
    }

    /**
     * A rate per second, e.g. {@code 0}, {@code 0.50}, {@code 850}, {@code 41.2k}. Rates below 0.005 print as 0, so an
     * idle probe reads as idle; anything not finite prints as {@code ?}.
     */
    public static String rate(double perSecond) {
        if (!Double.isFinite(perSecond)) {
            return "?";
        }
        if (perSecond < 0) {
            return "-" + rate(-perSecond);
        }
        if (perSecond < 0.005) {
            return "0";
        }
        return scaled(perSecond);
    }

    /** Elapsed seconds as {@code 12.3s}, {@code 5m07s} or {@code 1h02m03s}. */
    static String elapsed(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        if (seconds < 60) {
            return threeDigits(seconds) + "s";
        }
        final long total = (long) seconds;
        final long h = total / 3600;
        final long m = (total % 3600) / 60;
        final long s = total % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%dh%02dm%02ds", h, m, s)
                : String.format(Locale.ROOT, "%dm%02ds", m, s);
    }

    private static String scaled(double value) {
        int suffix = 0;
        while (suffix < COUNT_SUFFIXES.length - 1 && value >= 999.5) {
            value /= 1000.0;
            suffix++;
        }
        return threeDigits(value) + COUNT_SUFFIXES[suffix];
    }

    /**
     * Three significant digits for 0 <= value < 999.5. The thresholds are where rounding would carry into the next
     * digit (9.995 prints as 10.0, not 10.00), so the width never grows past four characters plus the point.
     */
    private static String threeDigits(double value) {
        if (value < 9.995) {
            return fixed(value, 2);
        }
        if (value < 99.95) {
            return fixed(value, 1);
        }
        return fixed(value, 0);
    }

    /** Powers of ten up to the most decimals {@link #fixed} formats itself. */
    private static final double[] TENS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /**
     * {@code value} with {@code decimals} digits after the point, exactly as {@code String.format(Locale.ROOT,
     * "%.<decimals>f", value)} prints it, at a small part of its cost: the analyzer's detectors word their messages
     * every tick, and each {@code String.format} builds a formatter and looks up locale data (a few microseconds and
     * a few hundred bytes). Values whose scaled fraction lies near one half (where the formatter's decimal rounding
     * and a binary rounding could differ), values of 10^13 or more once scaled and decimals above 6 go to
     * {@code String.format}.
     *
     * @param decimals 0 to 6 here; more are handed to {@code String.format}
     */
    public static String fixed(double value, int decimals) {
        if (decimals < 0) {
            throw new IllegalArgumentException("decimals must be 0 or more, not " + decimals);
        }
        if (decimals >= TENS.length || !Double.isFinite(value)) {
            return String.format(Locale.ROOT, "%." + decimals + "f", value);
        }
        final double scaled = Math.abs(value) * TENS[decimals];
        final double fraction = scaled - Math.floor(scaled);
        // The product is off by up to an ulp or so from the exact decimal value: near a tie, let the formatter decide.
        if (scaled >= 1e13 || Math.abs(fraction - 0.5) < Math.max(1e-6, 8 * Math.ulp(scaled))) {
            return String.format(Locale.ROOT, "%." + decimals + "f", value);
        }
        final long units = (long) Math.floor(scaled) + (fraction > 0.5 ? 1 : 0);
        final StringBuilder sb = new StringBuilder(24);
        if (value < 0 || (value == 0 && 1 / value < 0)) {
            sb.append('-'); // the formatter keeps the sign of a negative value that rounds to zero, and of -0.0
        }
        if (decimals == 0) {
            return sb.append(units).toString();
        }
        final long ten = (long) TENS[decimals];
        sb.append(units / ten).append('.');
        final String digits = Long.toString(units % ten);
        for (int pad = decimals - digits.length(); pad > 0; pad--) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }
}
