package io.hotpath.reference;

import java.util.concurrent.locks.LockSupport;

/** The per-message "processing" of a subscriber: CPU work and waiting, each accurate to a few microseconds. */
final class SimulatedWork {
    /**
     * Delays longer than this are mostly parked; the rest is spun. Parking overshoots by the timer slack (about 50 us
     * on Linux) plus the wake-up, so the last stretch is spun to keep the delay accurate.
     */
    private static final long PARK_MARGIN_NANOS = 100_000;

    private SimulatedWork() {}

    /** Burns CPU for {@code nanos}: a subscriber doing real work per message. */
    static void spin(long nanos) {
        if (nanos <= 0) {
            return;
        }
        final long deadline = System.nanoTime() + nanos;
        while (deadline - System.nanoTime() > 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * Waits {@code nanos} without holding a core for most of it: a subscriber blocked on a slow downstream. Slowing
     * one subscriber this way makes its queue the bottleneck without starving the other threads of CPU.
     */
    static void pause(long nanos) {
        if (nanos <= 0) {
            return;
        }
        final long deadline = System.nanoTime() + nanos;
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > PARK_MARGIN_NANOS) {
            LockSupport.parkNanos(remaining - PARK_MARGIN_NANOS);
        }
        spin(deadline - System.nanoTime());
    }

    /**
     * Waits at least {@code nanos}, parked the whole time (it may overshoot by the timer slack): a blocking call such
     * as a flush, which costs wall time but no CPU, so the cost it models is the same on a fast and a slow machine.
     */
    static void block(long nanos) {
        if (nanos <= 0) {
            return;
        }
        final long deadline = System.nanoTime() + nanos;
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
        }
    }
}
