package io.hotpath.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples of a whole-program harness as it writes them: one tab-separated line per sample,
 * {@code setup run value}, lines starting with {@code #} ignored. Used for the MooBench-style harness (one sample per
 * measured batch, run = fork) and the reference application's throughput (one sample per run).
 */
public final class RunSamples {
    /** Figures of one setup: over all samples, and over the per-run medians. */
    public record Summary(String setup, int runs, Figure all, Figure runMedians) {}

    private final Map<String, Summary> bySetup;

    private RunSamples(Map<String, Summary> bySetup) {
        this.bySetup = bySetup;
    }

    /** Reads a harness's file. */
    public static RunSamples read(Path file) throws IOException {
        final Map<String, Map<String, List<Double>>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final String[] f = line.trim().split("\t");
            if (f.length != 3) {
                throw new IOException(file + ": expected 3 tab-separated fields (setup, run, value): " + line);
            }
            rows.computeIfAbsent(f[0], k -> new LinkedHashMap<>())
                    .computeIfAbsent(f[1], k -> new ArrayList<>())
                    .add(Double.parseDouble(f[2]));
        }
        final Map<String, Summary> summaries = new LinkedHashMap<>();
        rows.forEach((setup, runs) -> {
            final List<Double> all = new ArrayList<>();
            final List<Double> medians = new ArrayList<>();
            runs.values().forEach(v -> {
                all.addAll(v);
                medians.add(Figure.of(v).median());
            });
            summaries.put(setup, new Summary(setup, runs.size(), Figure.of(all), Figure.of(medians)));
        });
        return new RunSamples(summaries);
    }

    /** Setups in the order the file first names them. */
    public List<Summary> summaries() {
        return List.copyOf(bySetup.values());
    }

    /** The summary of one setup, or null. */
    public Summary get(String setup) {
        return bySetup.get(setup);
    }
}
