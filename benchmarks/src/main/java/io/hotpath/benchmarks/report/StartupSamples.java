package io.hotpath.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Start-up and footprint runs of the hello-world program, as benchmarks/run.sh records them: one tab-separated line
 * per run, {@code setup run wall_ms user_s sys_s max_rss_kb others_cpu_s}, where wall time is measured by the script
 * around the process, CPU time and peak RSS come from GNU time ({@code %U %S %M}), and others_cpu_s is the CPU time
 * the rest of the machine used meanwhile (optional).
 */
public final class StartupSamples {
    /** Figures of one setup. */
    public record Summary(
            String setup, int runs, Figure wallMillis, Figure cpuSeconds, Figure rssMiB, Figure othersCpuSeconds) {}

    private final Map<String, Summary> bySetup;

    private StartupSamples(Map<String, Summary> bySetup) {
        this.bySetup = bySetup;
    }

    /** Reads the script's file; lines starting with # are comments. */
    public static StartupSamples read(Path file) throws IOException {
        final Map<String, List<double[]>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final String[] f = line.trim().split("\t");
            if (f.length != 6 && f.length != 7) {
                throw new IOException(file + ": expected 6 or 7 tab-separated fields: " + line);
            }
            rows.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new double[] {
                Double.parseDouble(f[2]),
                Double.parseDouble(f[3]) + Double.parseDouble(f[4]),
                Double.parseDouble(f[5]) / 1024.0,
                f.length > 6 ? Double.parseDouble(f[6]) : Double.NaN
            });
        }
        final Map<String, Summary> summaries = new LinkedHashMap<>();
        rows.forEach((setup, runs) -> summaries.put(
                setup,
                new Summary(
                        setup,
                        runs.size(),
                        Figure.of(runs.stream().map(r -> r[0]).toList()),
                        Figure.of(runs.stream().map(r -> r[1]).toList()),
                        Figure.of(runs.stream().map(r -> r[2]).toList()),
                        runs.stream().anyMatch(r -> Double.isNaN(r[3]))
                                ? null
                                : Figure.of(runs.stream().map(r -> r[3]).toList()))));
        return new StartupSamples(summaries);
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
