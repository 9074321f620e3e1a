import io.hotpath.it.ScriptRuns;
import io.hotpath.it.apps.PipelineFaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The incident acceptance runs of issue 15, as a single-file program run by incidents.sh. Each case runs {@code runs}
 * times in a real JVM with the built agent; the dump's {@code incidents} opened at or after the {@code FAULT-ONSET}
 * line (peak warning or above) are compared with the injected fault:
 *
 * <ul>
 *   <li>{@code independent}: two paths sharing nothing, overloaded in the same instant (it-tests' PipelineFaults):
 *       right when there are two incidents, one rooted at the pool (or its work queue), one at the handoff queue, and
 *       each root was alerted;
 *   <li>each fault of the reference broadcaster: right when exactly one incident was open after the onset, rooted at
 *       the injected stage (and of the fault's kind, for the JVM faults, whose stage is the whole JVM) and opened
 *       within 2 s after the onset; wrong when an incident was open elsewhere, more than one, one of another kind,
 *       one that came later than 2 s, or one opened before the onset (a finding before the fault is a false
 *       positive); missed when none;
 *   <li>{@code steady}: the reference broadcaster on every transport, 30 s of bursts then 30 s of steady load in
 *       turn, with no fault, for {@code --steady-minutes} (default 10), once; right when no incident at warning or
 *       above was open at any time (the dump keeps every open incident and the last closed ones).
 * </ul>
 *
 * An incident counts for a run when it was open at or after the onset: opened after it, or opened before and not
 * closed by then.
 *
 * <p>Prints a Markdown table per case kind. Arguments: {@code <java-home> <work-dir> <runs> [--cases a,b]
 * [--steady-minutes M]}; the agent
 * and application jars come through {@code io.hotpath.it.Launch}'s properties (see it-tests/scripts/table-run.sh).
 */
public final class IncidentsTable {
    /**
     * A fault, the probes its incident's root may be on, the root's kind when the probe alone does not tell the fault
     * (null: any), the seconds after the producers start at which it is injected, and the reference application's
     * extra arguments.
     */
    record Fault(String name, List<String> roots, String kind, int onsetSeconds, List<String> extra) {}

    static final List<Fault> FAULTS = List.of(
            new Fault("slow-subscriber", List.of("io.hotpath.reference.QueueSubscriberChannel.queue"), null, 3,
                    List.of("--rate", "2000")),
            new Fault("saturated-dispatcher",
                    List.of("io.hotpath.reference.Dispatcher.pool", "io.hotpath.reference.Dispatcher.pool.queue"),
                    null, 3, List.of("--rate", "2000")),
            new Fault("lock-contention", List.of("jvm"), "lock_contention", 3, List.of()),
            new Fault("gc-pressure", List.of("jvm"), "gc_pressure", 3, List.of()),
            // A slow TCP reader behind Netty: the channel's outbound buffer and its socket are one stage, rooted at
            // the buffer (docs/analyzer.md, "Root cause"). Injected 5 s after the producers start, not 3 s: the TCP
            // transport's Netty client and server start after the in-process stages, and their code is still being
            // compiled 3 s in (on a busy 2-core machine, the JIT at 100-170% of a CPU until 1.6 s after a 3 s onset), while the analyzer holds
            // flow findings at info (docs/analyzer.md, "Warm-up").
            new Fault("socket-back-pressure", List.of("netty.outbound"), "back_pressure", 5,
                    List.of("--transport", "tcp", "--rate", "1000")),
            new Fault("aeron-back-pressure", List.of("aeron.Publication#offer", "aeron.publication *"),
                    "back_pressure", 3, List.of("--transport", "aeron", "--rate", "2000")));

    /** One incident line of the dump (each incident is written on its own line). */
    static final Pattern INCIDENT = Pattern.compile("\\{\"key\":\"incident:[^\"]*\",\"root\":\"((?:[^\"\\\\]|\\\\.)*)\","
            + "\"kind\":\"([a-z_]+)\",\"probe\":\"((?:[^\"\\\\]|\\\\.)*)\",\"severity\":\"[a-z]+\","
            + "\"peak_severity\":\"([a-z]+)\".*?\"opened_ms\":(\\d+),\"resolved_ms\":(\\d+)");

    static final Pattern ALERT_KEY = Pattern.compile("\"key\":\"((?:[^\"\\\\]|\\\\.)*)\",\"type\":\"finding\"");

    record Incident(String root, String kind, String probe, long opened) {}

    public static void main(String[] args) throws Exception {
        final Path javaHome = Path.of(args[0]);
        final Path work = Path.of(args[1]);
        final int runs = Integer.parseInt(args[2]);
        final Map<String, String> options = ScriptRuns.options(args, 3, "--cases", "--steady-minutes");
        final List<String> only = ScriptRuns.names(options, "--cases");
        final long steadyMinutes = Long.parseLong(options.getOrDefault("--steady-minutes", "10"));
        if (only == null || only.contains("independent")) {
            independent(javaHome, work, runs);
        }
        boolean header = false;
        for (Fault f : FAULTS) {
            if (only != null && !only.contains(f.name())) {
                continue;
            }
            if (!header) {
                header = true;
                System.out.println();
                System.out.println("| fault | expected root | runs | right | wrong | missed | median delay | max delay"
                        + " | wrong/missed runs |");
                System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            }
            int right = 0;
            int wrong = 0;
            int missed = 0;
            final List<Long> delays = new ArrayList<>();
            final StringBuilder notes = new StringBuilder();
            for (int run = 1; run <= runs; run++) {
                final String tag = f.name() + "-" + run;
                final Path dump = work.resolve(tag + ".json");
                final String stdout = ScriptRuns.faultRun(javaHome, dump, f.name(), f.onsetSeconds(), f.extra());
                final long onset = ScriptRuns.onset(stdout);
                final List<Incident> found = incidents(dump, onset);
                final String verdict;
                if (onset < 0 || found.isEmpty()) {
                    missed++;
                    verdict = "missed";
                } else if (found.size() == 1 && rootOf(f, found.get(0))
                        && found.get(0).opened() >= onset
                        && found.get(0).opened() - onset <= 2000) {
                    right++;
                    delays.add(found.get(0).opened() - onset);
                    verdict = "right " + (found.get(0).opened() - onset) + " ms";
                } else {
                    wrong++;
                    verdict = "wrong";
                    notes.append(" #").append(run).append(':');
                    for (Incident i : found) {
                        notes.append(' ').append(i.root()).append('+').append(i.opened() - onset).append("ms");
                    }
                }
                if (verdict.equals("missed")) {
                    notes.append(" #").append(run).append(": none");
                }
                System.err.printf("%s: %s %s%n", tag, verdict, found);
            }
            Collections.sort(delays);
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %s | %s | %s |%n",
                    f.name(), (f.kind() == null ? "" : f.kind() + " on ") + String.join(" or ", f.roots()), runs,
                    right, wrong, missed,
                    ScriptRuns.median(delays),
                    ScriptRuns.max(delays),
                    notes.toString().trim());
        }
        if (only == null || only.contains("steady")) {
            steady(javaHome, work, steadyMinutes);
        }
    }

    /**
     * The reference broadcaster with no fault, on every transport, for {@code minutes}: the soak scenario alternates
     * 30 s of bursts (4x the rate for 250 ms of every second) with 30 s of steady rate. Right when no incident at
     * warning or above was open.
     */
    static void steady(Path javaHome, Path work, long minutes) throws Exception {
        System.out.println();
        System.out.println("| case | minutes | right (no incident) | incidents |");
        System.out.println("| --- | ---: | ---: | --- |");
        final Path dump = work.resolve("steady.json");
        final String stdout = ScriptRuns.dumpRun(javaHome, dump)
                .referenceApp("--scenario", "soak", "--duration", minutes + "m", "--transport", "all", "--quiet")
                .timeout(Duration.ofSeconds(minutes * 60 + 120))
                .run()
                .stdout();
        final boolean ran = stdout.lines().anyMatch(l -> l.startsWith("GROUND-TRUTH "));
        final List<Incident> found = incidents(dump, 0);
        final StringBuilder notes = new StringBuilder();
        for (Incident i : found) {
            notes.append(' ').append(i.root()).append(" at ").append(Instant.ofEpochMilli(i.opened()));
        }
        System.out.printf(Locale.ROOT, "| steady and bursty load, all transports | %d | %s | %s |%n", minutes,
                !ran ? "no (the run did not finish)" : found.isEmpty() ? "yes" : "no",
                found.isEmpty() ? "-" : notes.toString().trim());
    }

    /**
     * Whether the incident's root is one the fault expects: its kind, when the fault names one, and its probe, a name
     * or a prefix ending in {@code " *"} (an Aeron publication's stream probe, which counts the same refusals as its
     * operation probe, carries the channel in its name).
     */
    static boolean rootOf(Fault f, Incident incident) {
        if (f.kind() != null && !f.kind().equals(incident.kind())) {
            return false;
        }
        final String probe = incident.probe();
        for (String r : f.roots()) {
            if (r.endsWith(" *") ? probe.startsWith(r.substring(0, r.length() - 1)) : r.equals(probe)) {
                return true;
            }
        }
        return false;
    }

    static void independent(Path javaHome, Path work, int runs) throws Exception {
        System.out.println("| case | runs | right (two incidents, each alerted) | pool incident delay (median) | handoff incident delay (median) | wrong runs |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | --- |");
        int right = 0;
        final List<Long> pool = new ArrayList<>();
        final List<Long> handoff = new ArrayList<>();
        final StringBuilder notes = new StringBuilder();
        final String app = PipelineFaults.class.getName();
        for (int run = 1; run <= runs; run++) {
            final String tag = "independent-" + run;
            final Path dump = work.resolve(tag + ".json");
            final String stdout = ScriptRuns.dumpRun(javaHome, dump)
                    .testMain(PipelineFaults.class, List.of(), "independent", "9", "3")
                    .timeout(Duration.ofSeconds(60))
                    .run()
                    .stdout();
            final long onset = ScriptRuns.onset(stdout);
            final List<Incident> found = incidents(dump, onset);
            final List<String> alerted = alertKeys(dump);
            Incident p = null;
            Incident h = null;
            for (Incident i : found) {
                if (i.probe().startsWith(app + ".independent")) {
                    if (i.probe().endsWith(".queue") || i.kind().equals("saturation") && isPool(dump, i.probe())) {
                        p = i;
                    } else {
                        h = i;
                    }
                }
            }
            final boolean ok = found.size() == 2 && p != null && h != null && alertedRoot(alerted, p)
                    && alertedRoot(alerted, h);
            if (ok) {
                right++;
                pool.add(p.opened() - onset);
                handoff.add(h.opened() - onset);
            } else {
                notes.append(" #").append(run).append(": ").append(found);
            }
            System.err.printf("%s: %s %s%n", tag, ok ? "right" : "wrong", found);
        }
        Collections.sort(pool);
        Collections.sort(handoff);
        System.out.printf(Locale.ROOT, "| independent (pool + handoff queue) | %d | %d | %s | %s | %s |%n", runs, right,
                ScriptRuns.median(pool),
                ScriptRuns.median(handoff),
                notes.toString().trim());
    }

    /** Whether the probe is an executor in the dump. */
    static boolean isPool(Path dump, String probe) throws IOException {
        final String needle = "\"name\":\"" + probe + "\",\"kind\":\"executor\"";
        return Files.readString(dump).contains(needle);
    }

    static boolean alertedRoot(List<String> alertKeys, Incident i) {
        for (String k : alertKeys) {
            if (k.startsWith(i.root() + ":")) {
                return true;
            }
        }
        return false;
    }

    static List<String> alertKeys(Path dump) throws IOException {
        final List<String> out = new ArrayList<>();
        if (!Files.exists(dump)) {
            return out;
        }
        final Matcher m = ALERT_KEY.matcher(Files.readString(dump));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static List<Incident> incidents(Path dump, long onset) throws IOException {
        final List<Incident> out = new ArrayList<>();
        if (!Files.exists(dump) || onset < 0) {
            return out;
        }
        for (String line : Files.readAllLines(dump)) {
            final Matcher m = INCIDENT.matcher(line);
            if (m.find() && !m.group(4).equals("info")) {
                final long opened = Long.parseLong(m.group(5));
                final long resolved = Long.parseLong(m.group(6));
                // Open at or after the onset: opened after it, or opened before it and not closed by then (a busy
                // machine can tip a stage over before the fault; it is still this run's incident, with a negative
                // delay).
                if (opened >= onset || resolved == 0 || resolved >= onset) {
                    out.add(new Incident(m.group(1), m.group(2), m.group(3), opened));
                }
            }
        }
        return out;
    }
}
