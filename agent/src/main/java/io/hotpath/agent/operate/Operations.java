package io.hotpath.agent.operate;

import io.hotpath.agent.report.JsonDump;
import io.hotpath.agent.report.Report;
import java.util.Map;

/**
 * The reads and writes every operator surface offers (HTTP, JMX), in one place so that they cannot drift apart.
 * Reads are built from the background loop's latest {@link LiveState.Tick}; the rendered dump is cached per tick, so
 * any number of requests between two ticks costs one rendering. Thread-safe.
 */
public final class Operations {
    private static volatile Operations current;

    private final LiveState live;
    private final Map<String, String> meta;
    private final long startNanos;

    /** The tick whose dump {@link #dumpText} holds; guarded by this. */
    private LiveState.Tick dumpTick;

    private String dumpText;

    /**
     * @param live what the loop publishes
     * @param meta the dump's {@code meta} object
     * @param startNanos the agent's start, for uptime
     */
    public Operations(LiveState live, Map<String, String> meta, long startNanos) {
        this.live = live;
        this.meta = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(meta));
        this.startNanos = startNanos;
    }

    /** Makes {@code ops} the agent's operations layer (for surfaces started later); returns it. */
    public static Operations install(Operations ops) {
        current = ops;
        return ops;
    }

    /** The agent's operations layer, or null before the agent started its background loop. */
    public static Operations current() {
        return current;
    }

    /** The live state the loop publishes into. */
    public LiveState live() {
        return live;
    }

    /**
     * The dump document ({@code docs/dump-format.md}) of the latest tick, or null before the first tick. Its rates and
     * interval percentiles cover the last one to two seconds.
     */
    public synchronized String dump() {
        final LiveState.Tick t = live.tick();
        if (t == null) {
            return null;
        }
        if (t != dumpTick) {
            final Report r = Report.of(t.latest(), t.base(), startNanos);
            dumpText = JsonDump.toJson(r, meta, t.analysis(), t.alerts());
            dumpTick = t;
        }
        return dumpText;
    }
}
