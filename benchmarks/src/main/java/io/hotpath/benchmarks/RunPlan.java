package io.hotpath.benchmarks;

import java.util.Locale;

/**
 * How long and how often each benchmark runs.
 *
 * @param name {@code quick} or {@code full}
 * @param queueForks forks per queue benchmark and setup
 * @param coreForks forks per core benchmark
 * @param warmupIterations warm-up iterations per fork
 * @param warmupSeconds seconds per warm-up iteration of the queue benchmarks
 * @param coreWarmupSeconds seconds per warm-up iteration of the core benchmarks
 * @param measurementIterations measurement iterations per fork
 * @param measurementSeconds seconds per measurement iteration
 */
public record RunPlan(
        String name,
        int queueForks,
        int coreForks,
        int warmupIterations,
        int warmupSeconds,
        int coreWarmupSeconds,
        int measurementIterations,
        int measurementSeconds) {

    /** About 5 minutes on 2 cores with the start-up runs: one fork, 3×1 s warm-up, 3×1 s measurement. */
    public static RunPlan quick() {
        return new RunPlan("quick", 1, 1, 3, 1, 1, 3, 1);
    }

    /**
     * About 15 minutes on 2 cores: 5×2 s warm-up and 5×2 s measurement in 3 forks for the queue benchmarks (where
     * fork to fork variation is largest: lock contention, thread placement); the core benchmarks get 1 fork and 1 s
     * warm-up iterations (their loops are compiled within the first 100 ms), because 3 forks of all of them alone
     * would take 24 minutes.
     */
    public static RunPlan full() {
        return new RunPlan("full", 3, 1, 5, 2, 1, 5, 2);
    }

    /** The plan named {@code quick} or {@code full}. */
    public static RunPlan named(String name) {
        return switch (name) {
            case "quick" -> quick();
            case "full" -> full();
            default -> throw new IllegalArgumentException("unknown mode " + name + " (quick or full)");
        };
    }

    /** This plan with every benchmark run in {@code forks} forks. */
    public RunPlan withForks(int forks) {
        return new RunPlan(
                name,
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
                "%s: %d×%d s warm-up (core: %d×%d s), %d×%d s measurement, %d fork(s) per queue benchmark and"
                        + " setup, %d fork(s) per core benchmark",
                name,
                warmupIterations,
                warmupSeconds,
                warmupIterations,
                coreWarmupSeconds,
                measurementIterations,
                measurementSeconds,
                queueForks,
                coreForks);
    }
}
