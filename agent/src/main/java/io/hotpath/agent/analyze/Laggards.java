package io.hotpath.agent.analyze;

import io.hotpath.agent.analyze.detect.BackPressureDetector;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slowest subscriber of each stream, as last read from the library's own counters on the agent's thread (Aeron:
 * publisher position minus each subscriber position), so that a back-pressure finding can say who holds the publisher
 * back. Written by the readers, read by {@link BackPressureDetector}; bounded by the stream probes (one entry each).
 */
public final class Laggards {
    /** A reading older than this is not used: the stream closed or its publication is no longer read. */
    static final long STALE_NANOS = 2_000_000_000L;

    private static final ConcurrentHashMap<String, Laggard> BY_PROBE = new ConcurrentHashMap<>();
    private static final Set<String> AGGREGATES = ConcurrentHashMap.newKeySet();

    /**
     * One reading of a stream's subscribers.
     *
     * @param subscriber who the slowest subscriber is, for a person (registration id, channel, stream, session)
     * @param lagBytes how far the slowest subscriber is behind the publisher, bytes
     * @param windowBytes how far the publisher may still go before it is back-pressured (its limit minus its
     *     position); 0 or less when it is at its limit
     * @param subscribers every subscriber of the stream with its lag, for a person
     * @param count how many subscribers the stream has
     * @param atNanos when it was read ({@link System#nanoTime()})
     */
    public record Laggard(
            String subscriber, long lagBytes, long windowBytes, String subscribers, int count, long atNanos) {}

    private Laggards() {}

    /**
     * Declares a probe whose counts are the sum of several streams (Aeron's {@code offer} operation): its laggard is
     * the one furthest behind among all fresh readings.
     */
    public static void aggregate(String probe) {
        AGGREGATES.add(probe);
    }

    /** The latest reading of the stream counted on {@code probe}. */
    public static void report(String probe, Laggard laggard) {
        BY_PROBE.put(probe, laggard);
    }

    /** The fresh reading for {@code probe} (the furthest behind for an aggregate), or null. */
    public static Laggard of(String probe) {
        final long now = System.nanoTime();
        final Laggard own = fresh(BY_PROBE.get(probe), now);
        if (own != null || !AGGREGATES.contains(probe)) {
            return own;
        }
        Laggard worst = null;
        for (Laggard l : BY_PROBE.values()) {
            if (fresh(l, now) != null && (worst == null || l.lagBytes() > worst.lagBytes())) {
                worst = l;
            }
        }
        return worst;
    }

    private static Laggard fresh(Laggard l, long now) {
        return l != null && now - l.atNanos() <= STALE_NANOS ? l : null;
    }

    /** Forgets every reading (tests). */
    static void clear() {
        BY_PROBE.clear();
        AGGREGATES.clear();
    }
}
