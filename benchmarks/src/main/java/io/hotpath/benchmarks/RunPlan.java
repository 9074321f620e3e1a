package io.hotpath.benchmarks;

import java.util.Locale;

/**
 * How long and how often each JMH benchmark runs.
 *
 * @param name {@code quick} or {@code full}
 * @param queueForks forks per queue benchmark and setup
 * @param coreForks forks per core benchmark
 * @param endToEndForks forks per end-to-end benchmark ({@code e2e} suite) and setup
 * @param warmupIterations warm-up iterations per fork
 * @param warmupSeconds seconds per warm-up iteration of the queue benchmarks
 * @param coreWarmupSeconds seconds per warm-up iteration of the core and end-to-end benchmarks
 * @param measurementIterations measurement iterations per fork
 * @param measurementSeconds seconds per measurement iteration
 */
public record RunPlan(
        String name,
        int queueForks,
        int coreForks,
        int endToEndForks,
        int warmupIterations,
        int warmupSeconds,
        int coreWarmupSeconds,
        int measurementIterations,
        int measurementSeconds) {

    /** A few minutes on 2 cores: one fork, 3×1 s warm-up, 3×1 s measurement. */
    public static RunPlan quick() {
        return new RunPlan("quick", 1, 1, 1, 3, 1, 1, 3, 1);
    }

    /**
     * About 12 minutes of JMH on 2 cores (benchmarks/run.sh --full stays under 20 minutes with the whole-program and
     * start-up harnesses): 5×1 s measurement everywhere; the queue benchmarks (where fork to fork variation is
     * largest: lock contention, thread placement) get 2 forks and 5×2 s warm-up, the end-to-end benchmarks 2 forks
     * and 5×1 s warm-up, the core benchmarks 1 fork and 5×1 s warm-up (their loops are compiled within the first
     * 100 ms).
     */
    public static RunPlan full() {
        return new RunPlan("full", 2, 1, 2, 5, 2, 1, 5, 1);
    }

    /** The plan named {@code quick} or {@code full}. */
    public static RunPlan named(String name) {
        return switch (name) {
            case "quick" -> quick();
            case "full" -> full();
            default -> throw new IllegalArgumentException("unknown mode '" + name + "'; allowed: quick, full");
        };
    }

    /** This plan with every benchmark run in {@code forks} forks. */
    public RunPlan withForks(int forks) {
        return new RunPlan(
                name,
                forks,
                forks,
                forks,
                warmupIterations,
                warmupSeconds,
                coreWarmupSeconds,
                measurementIterations,
                measurementSeconds);
    }

    /** One line for the report. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "%s: %d×%d s warm-up (core and end-to-end: %d×%d s), %d×%d s measurement, %d fork(s) per queue"
                        + " benchmark and setup, %d per end-to-end benchmark and setup, %d per core benchmark",
                name,
                warmupIterations,
                warmupSeconds,
                warmupIterations,
                coreWarmupSeconds,
                measurementIterations,
                measurementSeconds,
                queueForks,
                endToEndForks,
                coreForks);
    }
}
