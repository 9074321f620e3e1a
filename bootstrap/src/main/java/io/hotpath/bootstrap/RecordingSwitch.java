package io.hotpath.bootstrap;

/**
 * The global stop switch ({@code hotpath.enabled}): while it is off every recording call of the core returns at its
 * first line, so counts, timings and distributions stop, and the application's own work is untouched (the tracked JDK
 * classes call their JDK method exactly as before; only the counting around it is skipped).
 *
 * <p>One static volatile field, read on each recording entry point ({@link Probe}'s hot methods): on x86 a plain load
 * of a line every core keeps in its cache (a volatile load needs no fence there), but one the JIT may not hoist out of
 * an application's loop, so a flip is seen by the next call of every thread. Written rarely, by the agent's own
 * threads (the attach CLI's {@code set} and {@code stop}).
 */
public final class RecordingSwitch {
    private static volatile boolean off;

    private RecordingSwitch() {}

    /** Whether recording is stopped; the one read every recording entry point makes. */
    public static boolean off() {
        return off;
    }

    /** Starts ({@code true}) or stops ({@code false}) all recording. */
    public static void enabled(boolean on) {
        off = !on;
    }

    /** Whether recording is on. */
    public static boolean enabled() {
        return !off;
    }
}
