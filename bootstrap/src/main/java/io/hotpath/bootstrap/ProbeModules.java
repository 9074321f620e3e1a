package io.hotpath.bootstrap;

/**
 * Which instrumentation module each probe belongs to, and which modules the operator turned off. Turning a module off
 * sets {@link Probe#MODULE_OFF} on every probe of it, and a probe that joins a module while it is off is born off; the
 * advice stays installed and costs the one state read {@link Probe} already makes per call.
 *
 * <p>Everything here is cold (a probe joins its module once, when it is registered; the operator toggles rarely) and
 * runs under one lock: a toggle that walks the probes and a probe that joins while the toggle runs cannot miss each
 * other (without the lock, a probe could read the old module state after the walk had passed it).
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

    /** Bit {@code 1 << module} set while that module is off; guarded by the class. */
    private static int off;

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

    /** Makes {@code p} a probe of {@code module}: off at once when that module is off. Cold; called once per probe. */
    public static synchronized void join(Probe p, int module) {
        if (module <= NONE || module >= NAMES.length) {
            return;
        }
        p.module(module);
        p.moduleOff((off & (1 << module)) != 0);
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
    public static synchronized boolean enabled(int module) {
        return (off & (1 << module)) == 0;
    }
}
