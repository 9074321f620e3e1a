package io.hotpath.benchmarks.ipc;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times a workload by the calling thread's CPU time, so that the time it waits for a core on a busy machine is not
 * counted: three warm-up rounds, then {@code rounds} measured ones, and one line with the median, min and max per
 * operation and whether an agent is attached.
 */
final class CpuRounds {
    private CpuRounds() {}

    static void print(String label, int rounds, int ops, Runnable round) {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int warm = 0; warm < 3; warm++) {
            round.run();
        }
        final double[] perOp = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            final long start = threads.getCurrentThreadCpuTime();
            round.run();
            perOp[r] = (double) (threads.getCurrentThreadCpuTime() - start) / ops;
        }
        Arrays.sort(perOp);
        System.out.printf(
                Locale.ROOT,
                "%s median %.2f ns/op (CPU)  min %.2f  max %.2f  rounds %d  agent %s%n",
                label,
                perOp[rounds / 2],
                perOp[0],
                perOp[rounds - 1],
                rounds,
                ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .anyMatch(a -> a.startsWith("-javaagent")));
    }
}
