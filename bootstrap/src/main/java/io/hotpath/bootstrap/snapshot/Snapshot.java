package io.hotpath.bootstrap.snapshot;

import java.util.List;

/**
 * Every registered probe, read once. Two snapshots make an interval: counters and bucket counts only grow, so their
 * difference is exactly what was recorded in between.
 *
 * @param nanoTime {@link System#nanoTime()} when the read began; only differences are meaningful
 * @param epochMillis wall-clock time when the read began
 * @param probes one sample per registered probe, in id order (unmodifiable)
 * @param rejectedRegistrations registrations that found the probe table full, so far
 */
public record Snapshot(long nanoTime, long epochMillis, List<ProbeSample> probes, long rejectedRegistrations) {

    /** Copies {@code probes} into an unmodifiable list. */
    public Snapshot {
        probes = List.copyOf(probes);
    }
}
