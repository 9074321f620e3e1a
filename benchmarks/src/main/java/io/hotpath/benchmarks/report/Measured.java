package io.hotpath.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;

/**
 * One JMH benchmark result reduced to what the report needs: figures over every measurement iteration of every fork,
 * for the primary score and each secondary result (group members, aux counters, {@code gc.*}).
 *
 * @param setup the {@code AgentSetup} name the forks ran under
 * @param type the benchmark class's simple name, e.g. {@code QueueBenchmark}
 * @param benchmark the method or group name, e.g. {@code offerPoll}
 * @param params JMH parameters, e.g. {@code queue=ArrayBlockingQueue}
 * @param threads total threads
 * @param forks forks that produced results
 * @param unit score unit
 * @param score the primary score
 * @param secondary secondary results by label
 * @param vm VM name and version of the forks
 * @param othersShare share of the machine other processes took while it ran (0..1, NaN when unknown)
 * @param attempts how many times it was run to get a quiet enough result
 */
public record Measured(
        String setup,
        String type,
        String benchmark,
        Map<String, String> params,
        int threads,
        int forks,
        String unit,
        Figure score,
        Map<String, Figure> secondary,
        String vm,
        double othersShare,
        int attempts) {

    /** Allocation per operation in bytes, from JMH's gc profiler. */
    public static final String ALLOCATION = "gc.alloc.rate.norm";

    /** Reduces one JMH result. */
    public static Measured of(String setup, RunResult run, double othersShare, int attempts) {
        final BenchmarkParams p = run.getParams();
        final String full = p.getBenchmark();
        final List<Double> scores = new ArrayList<>();
        final Map<String, List<Double>> secondary = new TreeMap<>();
        int forks = 0;
        for (BenchmarkResult fork : run.getBenchmarkResults()) {
            forks++;
            for (IterationResult it : fork.getIterationResults()) {
                scores.add(it.getPrimaryResult().getScore());
                it.getSecondaryResults().forEach((label, result) -> secondary
                        .computeIfAbsent(label, k -> new ArrayList<>())
                        .add(result.getScore()));
            }
        }
        final Map<String, Figure> figures = new LinkedHashMap<>();
        secondary.forEach((k, v) -> figures.put(k, Figure.of(v)));
        final Map<String, String> params = new TreeMap<>();
        for (String key : p.getParamsKeys()) {
            params.put(key, p.getParam(key));
        }
        final String owner = full.substring(0, full.lastIndexOf('.'));
        return new Measured(
                setup,
                owner.substring(owner.lastIndexOf('.') + 1),
                full.substring(full.lastIndexOf('.') + 1),
                params,
                p.getThreads(),
                forks,
                run.getPrimaryResult().getScoreUnit(),
                Figure.of(scores),
                figures,
                p.getVmName() + " " + p.getVmVersion() + " (JDK " + p.getJdkVersion() + ")",
                othersShare,
                attempts);
    }

    /** Bytes allocated per operation, or null when the gc profiler did not run. */
    public Figure allocation() {
        return secondary.get(ALLOCATION);
    }

    /** A parameter value, or "" when absent. */
    public String param(String key) {
        return params.getOrDefault(key, "");
    }
}
