import io.hotpath.it.ScriptRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The analyzer's acceptance runs (issue 5), as a single-file program run by analyzer-acceptance.sh: every injected
 * fault of the reference application {@code runs} times, measuring the delay from the {@code FAULT-ONSET} line to the
 * {@code detected_ms} of the expected finding in the dump; then, with {@code --long D}, a steady and a bursty run of
 * length D without a fault, counting findings above info. Prints a Markdown table.
 *
 * <p>Arguments: {@code <java-home> <work-dir> <runs> [--long D] [--faults a,b]}; the agent and application jars come
 * through {@code io.hotpath.it.Launch}'s properties (see table-run.sh).
 */
public final class AnalyzerAcceptance {
    record Fault(String name, String kind, String probe, List<String> extra) {}

    static final List<Fault> FAULTS = List.of(
            new Fault("slow-subscriber", "saturation", "io.hotpath.reference.QueueSubscriberChannel.queue",
                    List.of("--rate", "2000")),
            new Fault("saturated-dispatcher", "saturation", "io.hotpath.reference.Dispatcher.pool",
                    List.of("--rate", "2000")),
            new Fault("lock-contention", "lock_contention", "jvm", List.of()),
            new Fault("gc-pressure", "gc_pressure", "jvm", List.of()),
            new Fault("socket-back-pressure", "back_pressure", "netty.outbound",
                    List.of("--transport", "tcp", "--rate", "1000")),
            new Fault("aeron-back-pressure", "back_pressure", "aeron.Publication#offer",
                    List.of("--transport", "aeron", "--rate", "2000")));

    static final Pattern FINDING = Pattern.compile(
            "\\{\"key\":\"[^\"]*\",\"kind\":\"([a-z_]+)\",\"probe\":\"((?:[^\"\\\\]|\\\\.)*)\",\"severity\":\"[a-z]+\","
                    + "\"peak_severity\":\"([a-z]+)\".*?\"detected_ms\":(\\d+)");

    public static void main(String[] args) throws Exception {
        final Path javaHome = Path.of(args[0]);
        final Path work = Path.of(args[1]);
        final int runs = Integer.parseInt(args[2]);
        final Map<String, String> options = ScriptRuns.options(args, 3, "--long", "--faults");
        final String longDuration = options.get("--long");
        final List<String> only = ScriptRuns.names(options, "--faults");
        final StringBuilder table = new StringBuilder();
        table.append("| fault | expected finding | runs | detected | median delay | max delay | delays (ms) |\n");
        table.append("| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
        for (Fault f : FAULTS) {
            if (only != null && !only.contains(f.name())) {
                continue;
            }
            final List<Long> delays = new ArrayList<>();
            int missed = 0;
            for (int run = 1; run <= runs; run++) {
                final String tag = f.name() + "-" + run;
                final Path dump = work.resolve(tag + ".json");
                final String stdout = ScriptRuns.faultRun(javaHome, dump, f.name(), f.extra());
                final long onset = ScriptRuns.onset(stdout);
                final long detected = detected(dump, f.kind(), f.probe(), onset);
                if (onset < 0 || detected < 0) {
                    missed++;
                    System.err.printf("%s: not detected (onset %d)%n", tag, onset);
                } else {
                    delays.add(detected - onset);
                    System.err.printf("%s: %d ms%n", tag, detected - onset);
                }
            }
            Collections.sort(delays);
            table.append(String.format(Locale.ROOT, "| %s | %s on %s | %d | %d | %s | %s | %s |%n",
                    f.name(), f.kind(), f.probe(), runs, runs - missed,
                    ScriptRuns.median(delays),
                    ScriptRuns.max(delays),
                    delays));
        }
        System.out.print(table);
        if (longDuration != null) {
            System.out.println();
            System.out.println("| no-fault run | duration | findings above info | info findings |");
            System.out.println("| --- | --- | ---: | ---: |");
            for (String scenario : List.of("basic", "burst")) {
                final Path dump = work.resolve("long-" + scenario + ".json");
                ScriptRuns.dumpRun(javaHome, dump)
                        .referenceApp("--scenario", scenario, "--duration", longDuration, "--quiet")
                        .timeout(Duration.ofSeconds(ScriptRuns.seconds(longDuration)).plusMinutes(5))
                        .run();
                int above = 0;
                int info = 0;
                final StringBuilder which = new StringBuilder();
                for (String line : Files.readAllLines(dump)) {
                    final Matcher m = FINDING.matcher(line);
                    if (m.find()) {
                        if (m.group(3).equals("info")) {
                            info++;
                        } else {
                            above++;
                            which.append(' ').append(m.group(1)).append('@').append(m.group(2));
                        }
                    }
                }
                System.out.printf("| %s | %s | %d%s | %d |%n", scenario, longDuration, above, which, info);
            }
        }
    }

    static long detected(Path dump, String kind, String probe, long onset) throws IOException {
        if (!Files.exists(dump)) {
            return -1;
        }
        long best = -1;
        for (String line : Files.readAllLines(dump)) {
            final Matcher m = FINDING.matcher(line);
            if (m.find() && m.group(1).equals(kind) && m.group(2).equals(probe)) {
                final long t = Long.parseLong(m.group(4));
                if (t >= onset && (best < 0 || t < best)) {
                    best = t;
                }
            }
        }
        return best;
    }
}
