package io.hotpath.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How busy the rest of the machine was while something ran: CPU time all processes used (from /proc/stat) minus what
 * this JVM and the forks it waited for used (from /proc/self/stat), and the time the hypervisor stole. On a shared
 * 2-core VM this says whether a figure may have been disturbed. Linux only; elsewhere {@link #since} returns null.
 */
public final class MachineLoad {
    /** USER_HZ: the unit of /proc/stat and /proc/self/stat times; 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    /**
     * CPU use over an interval.
     *
     * @param elapsedSeconds wall time
     * @param capacitySeconds wall time × processors
     * @param ownSeconds CPU time of this JVM and its finished children
     * @param othersSeconds CPU time of every other process
     * @param stolenSeconds CPU time the hypervisor gave to other guests
     */
    public record Usage(
            double elapsedSeconds,
            double capacitySeconds,
            double ownSeconds,
            double othersSeconds,
            double stolenSeconds) {
        /** Share of the machine other processes and the hypervisor took, 0..1. */
        public double othersShare() {
            return capacitySeconds > 0 ? (othersSeconds + stolenSeconds) / capacitySeconds : Double.NaN;
        }

        /** One sentence for the report. */
        public String describe(String what) {
            return String.format(
                    Locale.ROOT,
                    "During %s (%.0f s wall, %.0f CPU-s available) the harness and its forks used %.0f CPU-s; other"
                            + " processes used %.1f CPU-s (%.1f %% of the machine) and the hypervisor stole %.1f"
                            + " CPU-s.",
                    what,
                    elapsedSeconds,
                    capacitySeconds,
                    ownSeconds,
                    othersSeconds,
                    100 * othersSeconds / capacitySeconds,
                    stolenSeconds);
        }
    }

    private final long[] system;
    private final long own;
    private final long startNanos;

    private MachineLoad(long[] system, long own, long startNanos) {
        this.system = system;
        this.own = own;
        this.startNanos = startNanos;
    }

    /** Takes the starting point. */
    public static MachineLoad now() {
        return new MachineLoad(systemTicks(), ownTicks(), System.nanoTime());
    }

    /** CPU use since {@link #now}, or null when /proc cannot be read. */
    public Usage since() {
        final long[] end = systemTicks();
        final long ownEnd = ownTicks();
        if (end == null || system == null || own < 0 || ownEnd < 0) {
            return null;
        }
        final double busy = (end[0] - system[0]) / TICKS_PER_SECOND;
        final double steal = (end[1] - system[1]) / TICKS_PER_SECOND;
        final double ours = (ownEnd - own) / TICKS_PER_SECOND;
        final double elapsed = (System.nanoTime() - startNanos) / 1e9;
        return new Usage(
                elapsed, elapsed * Runtime.getRuntime().availableProcessors(), ours, Math.max(0, busy - ours), steal);
    }

    /** {busy, steal} in ticks over all CPUs, or null. */
    private static long[] systemTicks() {
        try {
            final String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            final String[] f = cpu.trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
            final long busy = Long.parseLong(f[1])
                    + Long.parseLong(f[2])
                    + Long.parseLong(f[3])
                    + Long.parseLong(f[6])
                    + Long.parseLong(f[7]);
            return new long[] {busy, Long.parseLong(f[8])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** utime + stime + cutime + cstime of this process (children counted once waited for), or -1. */
    private static long ownTicks() {
        try {
            final String stat = Files.readString(Path.of("/proc/self/stat"));
            final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state); utime is field 14
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
