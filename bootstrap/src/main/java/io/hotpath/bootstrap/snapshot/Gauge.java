package io.hotpath.bootstrap.snapshot;

/**
 * The instantaneous values a {@link ProbeSample} carries besides its cumulative counters, by index. Gauges are derived
 * on the cold side, from counters or from the live instances a probe tracks; a gauge that does not apply to a probe's
 * kind is -1.
 */
public final class Gauge {
    /** Elements (or tasks) waiting: accepted, not yet taken out or removed. */
    public static final int DEPTH = 0;
    /** Executor tasks running: started, not yet finished. */
    public static final int ACTIVE = 1;
    /** Threads in the tracked thread pools, summed. */
    public static final int POOL_SIZE = 2;
    /** Core pool size of the tracked thread pools, summed. */
    public static final int CORE_POOL_SIZE = 3;
    /** Maximum pool size of the tracked thread pools, summed. */
    public static final int MAX_POOL_SIZE = 4;
    /** Live instances (queues, pools) created at the probe's site and still tracked. */
    public static final int INSTANCES = 5;
    /** Bytes queued for writing and not yet written, summed over the tracked instances (Netty outbound buffers). */
    public static final int PENDING_BYTES = 6;
    /**
     * Bytes the slowest subscriber of a stream is behind its publisher (Aeron: the publication's position minus the
     * lowest subscriber position of its session), summed over the tracked publications of the stream.
     */
    public static final int LAG = 7;

    /** How many gauges a sample has. */
    public static final int COUNT = 8;

    /** The value of a gauge that does not apply to a probe. */
    public static final long ABSENT = -1L;

    private static final String[] NAMES = {
        "depth", "active", "pool_size", "core_pool_size", "max_pool_size", "instances", "pending_bytes", "lag"
    };

    private Gauge() {}

    /** The snake_case name of a gauge, as used in output. */
    public static String name(int gauge) {
        return NAMES[gauge];
    }
}
