package io.hotpath.exporter.metrics;

import io.hotpath.bootstrap.snapshot.Snapshot;
import io.hotpath.bootstrap.snapshot.SnapshotTaker;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Collection;

/**
 * The bridge into the SDK: registered with {@code SdkMeterProviderBuilder.registerMetricProducer}, it is asked for
 * metrics on every collection (each export interval, and the final flush) and answers with a fresh snapshot of the
 * recording core. Nothing is recorded twice: the hot path stays the core's, and the SDK only sees finished totals.
 *
 * <p>It owns its {@link SnapshotTaker}, reading every distribution on every take ({@code new SnapshotTaker(1)}): the
 * default taker skips distributions of probes idle for two takes, which is right at a 100 ms tick but would let a final
 * export miss a value recorded just before exit. Collections are serialised (the SDK's reader calls from one worker
 * thread; the final flush may race it), so the converter's caches need no further locking.
 */
public final class SnapshotMetricProducer implements MetricProducer {
    private final SnapshotTaker taker = new SnapshotTaker(1);
    private final SnapshotConverter converter;

    /** Produces metrics through {@code converter}. */
    public SnapshotMetricProducer(SnapshotConverter converter) {
        this.converter = converter;
    }

    @Override
    public synchronized Collection<MetricData> produce(Resource resource) {
        final Snapshot snapshot = taker.take();
        return converter.convert(snapshot, resource);
    }
}
