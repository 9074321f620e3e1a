package io.hotpath.exporter.otlp;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Lets one message per key through per period, and counts the ones it held back, so a failure that repeats every
 * export becomes one line a minute. At most {@value #MAX_KEYS} keys are tracked; beyond that all keys share one.
 */
public final class RateLimiter {
    private static final int MAX_KEYS = 256;
    private static final String SHARED = "\u0000shared";

    private final long periodNanos;
    private final LongSupplier nanoClock;
    private final Map<String, long[]> state = new HashMap<>();

    /** At most one message per key per {@code periodNanos} of {@code nanoClock}. */
    public RateLimiter(long periodNanos, LongSupplier nanoClock) {
        this.periodNanos = periodNanos;
        this.nanoClock = nanoClock;
    }

    /**
     * Whether a message for {@code key} may be logged now. Returns -1 if not (and counts it), otherwise how many were
     * held back since the last one that passed.
     */
    public synchronized long acquire(String key) {
        final String k = state.size() >= MAX_KEYS && !state.containsKey(key) ? SHARED : key;
        final long now = nanoClock.getAsLong();
        final long[] s = state.get(k);
        if (s == null) {
            state.put(k, new long[] {now, 0});
            return 0;
        }
        if (now - s[0] >= periodNanos) {
            final long suppressed = s[1];
            s[0] = now;
            s[1] = 0;
            return suppressed;
        }
        s[1]++;
        return -1;
    }
}
