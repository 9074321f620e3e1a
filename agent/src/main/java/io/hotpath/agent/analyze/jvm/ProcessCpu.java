package io.hotpath.agent.analyze.jvm;

import java.lang.management.ManagementFactory;

/**
 * The process's CPU time, read once for every part of the agent that wants it: the JVM detector (every
 * {@code analyzer.jvm.interval}), the self-cost reading (once a second) and the optimizer's windows (once a window)
 * all ask on the same tick of the background thread, and each reading is a system call. A reading at most
 * {@value #FRESH_MILLIS} ms old is handed out again: the operating system counts process CPU time in clock ticks of
 * 10 ms on Linux, so a reading that young is as exact as a new one would be.
 */
public final class ProcessCpu {
    /** How old a reading may be and still be handed out. */
    static final long FRESH_MILLIS = 20;

    private static final long FRESH_NANOS = FRESH_MILLIS * 1_000_000L;

    private static final Object LOCK = new Object();

    /** Looked up at the first reading, on the agent's thread: the bean loads java.management. */
    private static com.sun.management.OperatingSystemMXBean bean;

    private static boolean looked;
    private static long readAt;
    private static long cpuNanos = -1;

    private ProcessCpu() {}

    /** The process's CPU time so far in nanoseconds, at most {@value #FRESH_MILLIS} ms old; -1 when not available. */
    public static long nanos() {
        synchronized (LOCK) {
            if (!looked) {
                looked = true;
                bean = ManagementFactory.getOperatingSystemMXBean()
                                instanceof com.sun.management.OperatingSystemMXBean sun
                        ? sun
                        : null;
            }
            final long now = System.nanoTime();
            if (cpuNanos >= 0 && now - readAt < FRESH_NANOS) {
                return cpuNanos;
            }
            cpuNanos = bean == null ? -1 : bean.getProcessCpuTime();
            readAt = now;
            return cpuNanos;
        }
    }
}
