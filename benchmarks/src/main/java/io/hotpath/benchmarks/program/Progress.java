package io.hotpath.benchmarks.program;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The counts a throughput program prints at fixed intervals while it runs, one {@code COUNT t=<ns> messages=<n>
 * backPressured=<n>} line each, {@code t} counted from the first line (when the traffic has started). The runner takes
 * the rate over a steady window from them, after a warm-up, so that the JVM's start and its JIT compilation (which on
 * a small machine compete with the program's own threads for the cores) stay out of the figure.
 */
record Progress(long nanos, long messages, long refused) {
    private static final Pattern LINE = Pattern.compile("t=([0-9]+) messages=([0-9]+) backPressured=([0-9]+)");

    static final String PREFIX = "COUNT";

    /**
     * Prints a line now and every {@code intervalMillis} until {@code seconds} have passed. The intervals are kept on a
     * fixed schedule from the first line, so a late wake-up does not shift every later line.
     */
    static void print(double seconds, long intervalMillis, LongSupplier messages, LongSupplier refused)
            throws InterruptedException {
        final long start = System.nanoTime();
        final long end = start + (long) (seconds * 1e9);
        for (long due = start; ; due += TimeUnit.MILLISECONDS.toNanos(intervalMillis)) {
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            final long now = System.nanoTime();
            System.out.printf(
                    Locale.ROOT,
                    "%s t=%d messages=%d backPressured=%d%n",
                    PREFIX,
                    now - start,
                    messages.getAsLong(),
                    refused.getAsLong());
            if (due >= end) {
                return;
            }
        }
    }

    /** One printed line, without its prefix. */
    static Progress parse(String line) {
        final Matcher m = LINE.matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("not a count line: " + line);
        }
        return new Progress(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
    }

    /** Messages per second from this line to {@code later}. */
    double rateTo(Progress later) {
        return (later.messages - messages) / ((later.nanos - nanos) / 1e9);
    }
}
