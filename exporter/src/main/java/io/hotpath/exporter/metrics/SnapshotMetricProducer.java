package io.hotpath.exporter.metrics;

import io.hotpath.bootstrap.snapshot.Snapshot;
import io.hotpath.bootstrap.snapshot.SnapshotTaker;
import io.hotpath.exporter.ExportLog;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The bridge into the SDK: registered with {@code SdkMeterProviderBuilder.registerMetricProducer}, it is asked for
 * metrics once per export interval (by the periodic reader's thread) and answers with a fresh {@link Snapshot}
 * converted by {@link SnapshotConverter}. Nothing is recorded through SDK instruments.
 *
 * <p>The snapshot keeps every probe's distribution (a taker that reads everything every take). The agent's default
 * taker skips distributions of probes idle for two takes, which is right at a 100 ms tick but would let a final export
 * miss a value recorded just before exit. Collections are serialised (the OTLP reader's thread, the final flush and the
 * Prometheus scrape may all call at once), so the converter's caches need no further locking, and the taker can read
 * moving distributions into the arrays of the previous take ({@link SnapshotTaker#reusing()}) instead of copying
 * them: each snapshot is converted into points that own their counts before the lock is released, and none is kept.
 * Every collection still reads the core's cumulative counts whole, so each reader sees exact totals.
 *
 * <p>With a health source (the agent's analyzer), each collection also carries {@code hotpath.health} and {@code
 * hotpath.health.state} ({@link HealthMetrics}), read from the analyzer's latest published view: the analyzer never
 * calls the exporter for this.
 *
 * <p>With a self source, each collection also carries the agent's own cost ({@link SelfMetrics}).
 *
 * <p><b>One broken part never costs the others.</b> A producer that throws loses the SDK the whole collection, so
 * every part (the probe metrics, the health reading, each health gauge) is built on its own: a part that throws is
 * left out of that collection, and the first failure of each part is logged once as a warning.
 */
public final class SnapshotMetricProducer implements MetricProducer {
    private final SnapshotTaker taker = SnapshotTaker.reusing();
    private final SnapshotConverter converter;
    private final Supplier<HealthReading> health;
    private final Supplier<SelfReading> self;
    private final ExportLog log;
    private final Set<String> failed = new HashSet<>();

    /** Produces metrics through {@code converter}, without health. */
    public SnapshotMetricProducer(SnapshotConverter converter) {
        this(converter, null, ExportLog.silent());
    }

    /**
     * Produces metrics through {@code converter}, and health from {@code health} (null: none; a supplier that returns
     * null leaves health out of that collection).
     *
     * @param log where the first failure of each part goes
     */
    public SnapshotMetricProducer(SnapshotConverter converter, Supplier<HealthReading> health, ExportLog log) {
        this(converter, health, null, log);
    }

    /**
     * Like {@link #SnapshotMetricProducer(SnapshotConverter, Supplier, ExportLog)}, with the agent's own cost from
     * {@code self} as the {@code hotpath.agent.*} gauges (null, or a supplier returning null: none).
     */
    public SnapshotMetricProducer(
            SnapshotConverter converter, Supplier<HealthReading> health, Supplier<SelfReading> self, ExportLog log) {
        this.converter = converter;
        this.health = health;
        this.self = self;
        this.log = log;
    }

    @Override
    public synchronized Collection<MetricData> produce(Resource resource) {
        final Snapshot snapshot = taker.take();
        List<MetricData> metrics;
        try {
            metrics = converter.convert(snapshot, resource);
        } catch (RuntimeException | LinkageError e) {
            failedOnce("the probe metrics", e);
            metrics = List.of();
        }
        final HealthReading reading = read();
        final SelfReading cost = readSelf();
        if (reading == null && cost == null) {
            return metrics;
        }
        final List<MetricData> all = new ArrayList<>(metrics.size() + 6);
        all.addAll(metrics);
        if (reading != null) {
            try {
                all.add(converter.health(reading, snapshot, resource));
            } catch (RuntimeException | LinkageError e) {
                failedOnce(HealthMetrics.HEALTH, e);
            }
            try {
                all.add(converter.healthState(reading, snapshot, resource));
            } catch (RuntimeException | LinkageError e) {
                failedOnce(HealthMetrics.STATE, e);
            }
        }
        if (cost != null) {
            try {
                all.addAll(converter.self(cost, snapshot, resource));
            } catch (RuntimeException | LinkageError e) {
                failedOnce("the agent's own cost metrics", e);
            }
        }
        return all;
    }

    private SelfReading readSelf() {
        if (self == null) {
            return null;
        }
        try {
            return self.get();
        } catch (RuntimeException | LinkageError e) {
            failedOnce("the agent's own cost reading", e);
            return null;
        }
    }

    private HealthReading read() {
        if (health == null) {
            return null;
        }
        try {
            return health.get();
        } catch (RuntimeException | LinkageError e) {
            failedOnce("the analyzer's health reading", e);
            return null;
        }
    }

    /** Logs the first failure of {@code part}; later ones go to debug only. Called under the producer's lock. */
    private void failedOnce(String part, Throwable e) {
        final String line =
                "export left out " + part + ": " + e + "; the other metrics go out as usual (logged once per part)";
        if (failed.add(part)) {
            log.warn(line);
        } else if (log.debugEnabled()) {
            log.debug(line);
        }
    }
}
