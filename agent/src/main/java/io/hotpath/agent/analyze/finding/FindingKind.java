package io.hotpath.agent.analyze.finding;

import java.util.Locale;

/** What a finding is about. The lower-case name is the {@code kind} in dumps, alerts and events. */
public enum FindingKind {
    /** Queue depth above the configured threshold. */
    QUEUE_DEPTH,
    /** p99 latency above the configured threshold. */
    LATENCY,
    /** Completions below the configured rate while work keeps arriving or waiting. */
    THROUGHPUT,
    /** Share of failing calls or tasks above the configured threshold. */
    ERROR_RATE,
    /** Arrivals outrun completions with depth growing, or a pool is busy with work waiting. */
    SATURATION,
    /** Elements dropped, tasks rejected, producers blocked, writes partial. */
    BACK_PRESSURE,
    /** Latency far above its learned baseline, confirmed over the short window. */
    LATENCY_ANOMALY,
    /** Depth far above its learned baseline, confirmed over the short window. */
    DEPTH_ANOMALY,
    /** The JVM spends a large share of wall time in GC pauses. */
    GC_PRESSURE,
    /** Application threads spend their time blocked on monitors. */
    LOCK_CONTENTION,
    /** The process (or the machine) has no CPU left. */
    CPU_SATURATION;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** The lower-case name. */
    public String label() {
        return label;
    }

    /** Kinds that describe a stage of the pipeline backing up, the ones root-cause analysis links together. */
    public boolean isFlow() {
        return this == SATURATION
                || this == BACK_PRESSURE
                || this == QUEUE_DEPTH
                || this == LATENCY
                || this == THROUGHPUT
                || this == LATENCY_ANOMALY
                || this == DEPTH_ANOMALY;
    }
}
