package io.hotpath.bootstrap;

/**
 * Maps the calling thread to one of a fixed number of counter stripes, so that threads mostly write to cache lines
 * no other thread writes. Thread ids are handed out sequentially, so consecutive threads land on different stripes.
 * Two threads on one stripe stay correct (every update is an atomic add); they only share a line.
 */
final class Stripes {
    /** A power of two, at least twice the processors, at most 64. */
    static final int COUNT =
            Math.min(64, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) << 1);

    static final int MASK = COUNT - 1;

    private Stripes() {}

    static int index() {
        return (int) Thread.currentThread().getId() & MASK;
    }
}
