package io.hotpath.agent.report;

import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the local outputs render: every probe with rates and percentiles over the interval between two snapshots.
 *
 * @param epochMillis wall-clock time of the newer snapshot
 * @param intervalSeconds the time the rates and interval percentiles cover: since the previous snapshot, or since
 *     start when there was none
 * @param uptimeSeconds time since start (the agent's start, as passed to {@link #of})
 * @param probes one report per probe, sorted by id (unmodifiable)
 * @param rejectedRegistrations registrations that found the probe table full, so far
 */
public record Report(
        long epochMillis,
        double intervalSeconds,
        double uptimeSeconds,
        List<ProbeReport> probes,
        long rejectedRegistrations) {

    private static final double NANOS_PER_SECOND = 1e9;

    /** Copies {@code probes} into an unmodifiable list. */
    public Report {
        probes = List.copyOf(probes);
    }

    /**
     * Builds the report of the interval from {@code previous} to {@code now}.
     *
     * @param now the newer snapshot
     * @param previous the older snapshot, or null: then the interval runs from {@code startNanoTime}, and rates and
     *     interval percentiles cover everything since start. A probe missing from {@code previous} (registered since)
     *     has all its counts taken as recorded in the interval.
     * @param startNanoTime {@link System#nanoTime()} at the agent's start, for uptime
     */
    public static Report of(Snapshot now, Snapshot previous, long startNanoTime) {
        final long fromNanos = previous == null ? startNanoTime : previous.nanoTime();
        final double interval = Math.max(0L, now.nanoTime() - fromNanos) / NANOS_PER_SECOND;
        final double uptime = Math.max(0L, now.nanoTime() - startNanoTime) / NANOS_PER_SECOND;

        final ProbeSample[] before = previous == null ? new ProbeSample[0] : indexById(previous.probes());
        final Percentiles.Calculator calculator = new Percentiles.Calculator();
        final List<ProbeReport> probes = new ArrayList<>(now.probes().size());
        for (ProbeSample sample : now.probes()) {
            final int id = sample.id();
            final ProbeSample earlier = id < before.length ? before[id] : null;
            probes.add(ProbeReport.of(sample, earlier, interval, calculator));
        }
        probes.sort(Comparator.comparingInt(ProbeReport::id));
        return new Report(now.epochMillis(), interval, uptime, probes, now.rejectedRegistrations());
    }

    /** Probe ids are small and dense (table indexes), so an array beats a map. */
    private static ProbeSample[] indexById(List<ProbeSample> samples) {
        int maxId = -1;
        for (ProbeSample s : samples) {
            maxId = Math.max(maxId, s.id());
        }
        final ProbeSample[] byId = new ProbeSample[maxId + 1];
        for (ProbeSample s : samples) {
            byId[s.id()] = s;
        }
        return byId;
    }
}
