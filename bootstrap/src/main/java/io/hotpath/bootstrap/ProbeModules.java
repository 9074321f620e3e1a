package io.hotpath.bootstrap;

/**
 * Which instrumentation module each probe belongs to, and which modules the operator turned off. Turning a module off
 * sets {@link Probe#MODULE_OFF} on every probe of it, and a probe that joins a module while it is off is born off; the
 * advice stays installed and costs the one state read {@link Probe} already makes per call.
 *
 * <p>A probe joins its module once, when it is registered, which may be on an application thread inside advice (a new
 * socket endpoint, a new construction site): joining takes no lock. It publishes the probe's module, then reads which
 * modules are off and sets the probe's bit, and reads again until the two reads agree. A toggle (cold, one at a time
 * under the class's lock) publishes the new off set, then walks the probes. Both sides write before they read
 * (volatile), so either the joining probe reads the new set or the walk sees the probe's module; a stale bit written
 * by a join that raced a toggle is rewritten by that join's re-read.
 */
public final class ProbeModules {
    /** No module: method probes the user named, and the agent's own. */
    public static final int NONE = 0;

    /** Tracked JDK queues ({@code hotpath.instrument.queues}). */
    public static final int QUEUES = 1;

    /** Tracked JDK executors ({@code hotpath.instrument.executors}). */
    public static final int EXECUTORS = 2;

    /** JDK sockets ({@code hotpath.instrument.sockets}). */
    public static final int SOCKETS = 3;

    /** Netty ({@code hotpath.instrument.netty}). */
    public static final int NETTY = 4;

    /** Aeron ({@code hotpath.instrument.aeron}). */
    public static final int AERON = 5;

    private static final String[] NAMES = {"", "queues", "executors", "sockets", "netty", "aeron"};

    /** Bit {@code 1 << module} set while that module is off; written under the class's lock, read without it. */
    private static volatile int off;

    private ProbeModules() {}

    /** The module named {@code name} ({@code queues}, {@code executors}, {@code sockets}, {@code netty}, {@code aeron}), or -1. */
    public static int of(String name) {
        for (int m = 1; m < NAMES.length; m++) {
            if (NAMES[m].equals(name)) {
                return m;
            }
        }
        return -1;
    }

    /** The module's name; empty for {@link #NONE}. */
    public static String name(int module) {
        return NAMES[module];
    }

    /**
     * Makes {@code p} a probe of {@code module}: off at once when that module is off. Called once per probe, possibly
     * from advice on an application thread: takes no lock.
     */
    public static void join(Probe p, int module) {
        if (module <= NONE || module >= NAMES.length) {
            return;
        }
        p.module(module);
        int seen;
        do {
            seen = off;
            p.moduleOff((seen & (1 << module)) != 0);
        } while (off != seen);
    }

    /**
     * Turns module {@code module} on or off: every probe of it, and every probe that joins it while it is off. Returns
     * how many probes it changed. Cold side.
     */
    public static synchronized int enabled(int module, boolean on) {
        if (on) {
            off &= ~(1 << module);
        } else {
            off |= 1 << module;
        }
        final int[] changed = {0};
        Probes.forEach(p -> {
            if (p.module() == module) {
                p.moduleOff(!on);
                changed[0]++;
            }
        });
        return changed[0];
    }

    /** Whether module {@code module} is on. */
    public static boolean enabled(int module) {
        return (off & (1 << module)) == 0;
    }
}
