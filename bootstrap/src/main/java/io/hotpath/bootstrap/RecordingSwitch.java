package io.hotpath.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The global stop switch ({@code hotpath.enabled}): while it is off every recording call of the core returns at its
 * first line, so counts, timings and distributions stop, and the application's own work is untouched (the tracked JDK
 * classes call their JDK method exactly as before; only the counting around it is skipped).
 *
 * <p>One static field, read opaquely on each recording entry point ({@link Probe}'s hot methods): on x86 a plain load
 * of a line every core keeps in its cache, but a load the JIT may not hoist out of an application's loop, so a flip is
 * seen by the next call of every thread. Written rarely, by the agent's own threads (a setting change, the attach CLI's
 * {@code stop}), with a release store.
 */
public final class RecordingSwitch {
    private static final VarHandle OFF;

    static {
        try {
            OFF = MethodHandles.lookup().findStaticVarHandle(RecordingSwitch.class, "off", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // read and written through OFF
    private static boolean off;

    private RecordingSwitch() {}

    /** Whether recording is stopped; the one read every recording entry point makes. */
    public static boolean off() {
        return (boolean) OFF.getOpaque();
    }

    /** Starts ({@code true}) or stops ({@code false}) all recording. */
    public static void enabled(boolean on) {
        OFF.setRelease(!on);
    }

    /** Whether recording is on. */
    public static boolean enabled() {
        return !(boolean) OFF.getAcquire();
    }
}
