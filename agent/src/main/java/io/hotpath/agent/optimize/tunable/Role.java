package io.hotpath.agent.optimize.tunable;

import io.hotpath.bootstrap.PathKind;
import java.util.Locale;

/**
 * What a tunable controls; picks the controller that moves it. Not every role means something for every kind of
 * probe ({@link #fits}): a pool has a size and no flush interval, a queue has drain batches and consumers but nothing
 * to compress. docs/optimizer.md lists the same table; a test keeps them equal.
 */
public enum Role {
    BATCH_SIZE("batch-size", true, 1),
    FLUSH_INTERVAL("flush-interval", true, 0),
    CONCURRENCY("concurrency", true, 1),
    COMPRESSION("compression", false, 0),
    SHARDS("shards", false, 1),
    GENERIC("generic", false, Long.MIN_VALUE);

    private final String word;
    private final boolean needsBounds;
    private final long lowest;

    Role(String word, boolean needsBounds, long lowest) {
        this.word = word;
        this.needsBounds = needsBounds;
        this.lowest = lowest;
    }

    /** As written in {@code hotpath.tunables}, e.g. {@code batch-size}. */
    public String word() {
        return word;
    }

    /** Whether a declaration must give {@code [min..max]} (numeric roles the optimizer moves on its own). */
    public boolean needsBounds() {
        return needsBounds;
    }

    /** The smallest lower bound that makes sense for this role. */
    long lowest() {
        return lowest;
    }

    /** Whether the role is a switch: the field must be boolean. */
    public boolean isBoolean() {
        return this == COMPRESSION;
    }

    /**
     * Whether a tunable of this role can change what a probe of {@code kind} measures, so that a rule or a finding's
     * recommendation may name it there. {@code method} probes are the user's own sites: any role may apply.
     */
    public boolean fits(PathKind kind) {
        return switch (this) {
            case GENERIC -> true;
            case CONCURRENCY -> kind == PathKind.EXECUTOR || kind == PathKind.QUEUE || kind == PathKind.METHOD;
            case BATCH_SIZE -> kind != PathKind.EXECUTOR;
            case FLUSH_INTERVAL, COMPRESSION ->
                kind == PathKind.BATCH || kind == PathKind.BROADCAST || kind == PathKind.IPC || kind == PathKind.METHOD;
            case SHARDS -> kind != PathKind.EXECUTOR;
        };
    }

    /** The role for a word, or null. */
    public static Role of(String word) {
        final String w = word.trim().toLowerCase(Locale.ROOT);
        for (Role r : values()) {
            if (r.word.equals(w)) {
                return r;
            }
        }
        return null;
    }

    /** All words, for messages. */
    public static String words() {
        final StringBuilder b = new StringBuilder();
        for (Role r : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(r.word);
        }
        return b.toString();
    }
}
