package io.hotpath.agent.analyze.jvm;

/**
 * What the JVM detectors read from the JVM beneath the application. {@link MxJvmSource} reads the platform MXBeans;
 * tests feed synthetic sequences.
 */
public interface JvmSource {
    /** Milliseconds spent in GC pauses since the JVM started (stop-the-world collectors and pause phases only). */
    long gcPauseMillis();

    /** GC pauses since the JVM started. */
    long gcCount();

    /** CPU time of the whole process, ns, or -1 when unknown. */
    long processCpuNanos();

    /** Recent CPU load of the whole machine, 0..1, or a negative value or NaN when unknown (left out, never 0). */
    double machineCpuLoad();

    /**
     * Milliseconds the JIT compilers have spent compiling since the JVM started (summed over the compiler threads), or
     * -1 when the JVM does not tell.
     */
    long jitMillis();

    /** Processors available to the JVM. */
    int processors();

    /** Reads the application's threads now. */
    ThreadReading threads();

    /**
     * Monitor blocking of the application's threads.
     *
     * @param blockedMillis milliseconds the live application threads have spent blocked on monitors, accumulated
     *     across readings (exact with contention monitoring; otherwise estimated from the number blocked at each
     *     reading times the time between readings)
     * @param blockedNow threads blocked on a monitor at this moment
     * @param hotLock the monitor most blocked threads wait for now, with its owner, or empty
     */
    record ThreadReading(long blockedMillis, int blockedNow, String hotLock) {}
}
