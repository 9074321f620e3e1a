package io.hotpath.it;

import io.hotpath.reference.BroadcasterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the table programs of {@code it-tests/scripts} and {@code benchmarks/scripts} share: their options, the agent
 * runs they launch and the figures they read back. Those programs run as single-file source programs, and on JDK 17 a
 * single-file program cannot compile a sibling source file, so the code lives here, on the class path their shell
 * scripts give them (it-tests/scripts/table-run.sh: the it-tests' test classes and the reference application; the
 * jars and work directory come as {@link Launch}'s {@code hotpath.it.*} properties).
 */
public final class ScriptRuns {
    private ScriptRuns() {}

    /**
     * The {@code --name value} options of {@code args} from index {@code from} on, refusing one the program does not
     * list in {@code known}.
     */
    public static Map<String, String> options(String[] args, int from, String... known) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (int i = from; i < args.length; i += 2) {
            if (!List.of(known).contains(args[i]) || i + 1 == args.length) {
                throw new IllegalArgumentException("option '" + args[i] + "' is unknown or has no value: allowed "
                        + String.join(", ", known) + ", each with a value");
            }
            out.put(args[i], args[i + 1]);
        }
        return out;
    }

    /** The comma-separated names an option lists, or null when it was not given (no filter). */
    public static List<String> names(Map<String, String> options, String option) {
        final String value = options.get(option);
        return value == null ? null : List.of(value.split(","));
    }

    /** How long a reference application {@code --duration} runs, read by the application's own parser. */
    public static long seconds(String duration) {
        return BroadcasterConfig.duration("--duration", duration).toSeconds();
    }

    /**
     * A JVM with the agent writing its dump to {@code dump} every 500 ms and at exit (a run killed at its timeout
     * still leaves one), no export, and a shutdown bounded to 10 s.
     */
    public static Launch dumpRun(Path javaHome, Path dump) throws IOException {
        Files.deleteIfExists(dump);
        return Launch.on(javaHome)
                .dumpWithoutExport(dump.toAbsolutePath())
                .prop("hotpath.dump.interval", "500ms")
                .prop("hotpath.shutdown.timeout", "10s");
    }

    /** {@link #faultRun(Path, Path, String, int, List)} with the fault injected 3 s after the producers start. */
    public static String faultRun(Path javaHome, Path dump, String fault, List<String> faultArgs)
            throws IOException, InterruptedException {
        return faultRun(javaHome, dump, fault, 3, faultArgs);
    }

    /**
     * The reference application's basic scenario with {@code fault} injected {@code onsetSeconds} after the producers
     * start and 3 s more after that, plus the fault's own options, as a {@link #dumpRun}; returns its standard output,
     * which carries the {@code FAULT-ONSET} line.
     */
    public static String faultRun(Path javaHome, Path dump, String fault, int onsetSeconds, List<String> faultArgs)
            throws IOException, InterruptedException {
        return dumpRun(javaHome, dump)
                .referenceApp(faultArgs(fault, onsetSeconds, faultArgs))
                .timeout(Duration.ofSeconds(120))
                .run()
                .stdout();
    }

    /**
     * The reference application's arguments for its basic scenario with {@code fault} injected {@code onsetSeconds}
     * after the producers start and 3 s more after that, plus the fault's own options.
     */
    public static String[] faultArgs(String fault, int onsetSeconds, List<String> faultArgs) {
        final List<String> args = new ArrayList<>(List.of(
                "--scenario",
                "basic",
                "--duration",
                (onsetSeconds + 3) + "s",
                "--quiet",
                "--fault",
                fault,
                "--fault-at",
                onsetSeconds + "s"));
        args.addAll(faultArgs);
        return args.toArray(String[]::new);
    }

    /** The wall-clock milliseconds of the reference application's {@code FAULT-ONSET} line, or -1 without one. */
    public static long onset(String stdout) {
        return stdout.lines()
                .filter(l -> l.startsWith("FAULT-ONSET "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[2]))
                .findFirst()
                .orElse(-1);
    }

    /** The median of sorted delays as a table cell: {@code "12 ms"}, or {@code "-"} when there is none. */
    public static String median(List<Long> sorted) {
        return sorted.isEmpty() ? "-" : sorted.get((sorted.size() - 1) / 2) + " ms";
    }

    /** The largest of sorted delays as a table cell, or {@code "-"} when there is none. */
    public static String max(List<Long> sorted) {
        return sorted.isEmpty() ? "-" : sorted.get(sorted.size() - 1) + " ms";
    }
}
