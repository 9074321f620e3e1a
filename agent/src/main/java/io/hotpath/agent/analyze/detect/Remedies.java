package io.hotpath.agent.analyze.detect;

import io.hotpath.bootstrap.PathKind;

/**
 * The words of a recommendation that depend on the kind of probe. A recommendation names only the tunables that
 * exist for that kind ({@link io.hotpath.agent.optimize.tunable.Role#fits}, docs/optimizer.md): a pool has a size
 * and no flush interval, a queue drains in batches but has nothing to flush.
 */
final class Remedies {
    private Remedies() {}

    /** What shortens the p99 latency of {@code name}. */
    static String latency(PathKind kind, String name) {
        return switch (kind) {
            case EXECUTOR -> "raise the pool size of " + name + " or shorten its tasks";
            case QUEUE ->
                "producers wait on a full " + name + ": drain it faster (more consumers, bigger drain batches) or"
                        + " raise its capacity";
            case IPC ->
                "write less per call or flush sooner on " + name + " (a smaller batch size or a shorter flush"
                        + " interval), or find the slow peer";
            case BATCH, BROADCAST, METHOD -> "shorten the flush interval or the batch size of " + name;
        };
    }
}
