package io.hotpath.agent.report;

import io.hotpath.agent.alert.AlertsView;
import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.snapshot.Gauge;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Renders a {@link Report} as the JSON dump described in {@code docs/dump-format.md} (schema
 * {@value #SCHEMA}) and writes it to a file atomically, so that a reader never sees half a dump.
 *
 * <p>Counter keys are {@link KindCounters#key} (the {@link Slot} name, or what it means for the kind); gauge and
 * distribution keys are the {@link Gauge} and {@link Dist} names, the one
 * vocabulary every hotpath output uses. The output has one probe per line, so that it is both valid JSON and easy to
 * grep.
 */
public final class JsonDump {
    private static final int SELF_DECIMALS = 6;

    /**
     * The agent's self-measured cost for the dump's {@code self} object, by key in the order to write; set once by the
     * agent's background loop. Null or empty: no {@code self} object.
     */
    private static volatile java.util.function.Supplier<Map<String, Double>> selfSource = () -> null;

    private static final java.util.function.Supplier<Map<String, Double>> SELF = () -> selfSource.get();

    /** Where the {@code self} object's figures come from. */
    public static void selfCost(java.util.function.Supplier<Map<String, Double>> source) {
        selfSource = source == null ? () -> null : source;
    }

    /** The value of the top-level {@code schema} member; the suffix changes only with incompatible changes. */
    static final String SCHEMA = "hotpath.dump/2";

    /** Decimal places of rates, means and seconds: enough for rates of one event per several minutes. */
    private static final int DECIMALS = 3;

    private JsonDump() {}

    /**
     * The dump as a string.
     *
     * @param meta free-form string pairs placed under {@code "meta"} in the map's iteration order (for example the
     *     process id, the host, the agent version); null is the same as empty
     */
    public static String toJson(Report r, Map<String, String> meta) {
        return toJson(r, meta, null, null);
    }

    /**
     * The dump with the analyzer's sections {@code health}, {@code findings} and {@code alerts} when {@code analysis}
     * (and {@code alerts}) are not null.
     */
    public static String toJson(Report r, Map<String, String> meta, AnalysisView analysis, AlertsView alerts) {
        final StringBuilder sb = new StringBuilder(256 + 512 * r.probes().size());
        final JsonWriter w = new JsonWriter(sb);
        w.beginObject();
        w.name("schema").value(SCHEMA);
        w.name("time").value(Instant.ofEpochMilli(r.epochMillis()).toString());
        w.name("uptime_s").value(r.uptimeSeconds(), DECIMALS);
        w.name("interval_s").value(r.intervalSeconds(), DECIMALS);
        w.name("meta").beginObject();
        if (meta != null) {
            for (Map.Entry<String, String> e : meta.entrySet()) {
                w.name(String.valueOf(e.getKey())).value(e.getValue());
            }
        }
        w.endObject();
        probes(w, r);
        self(w);
        if (analysis != null) {
            AnalysisJson.write(w, analysis, alerts);
        }
        // The optimizer's section (mode, tunables, audit trail) whenever it runs: absent with
        // hotpath.optimizer.mode=off, where no optimizer exists.
        final io.hotpath.agent.optimize.Optimizer optimizer = io.hotpath.agent.optimize.OptimizerRuntime.optimizer();
        if (optimizer != null) {
            OptimizerJson.write(w, optimizer.report());
        }
        w.endObject();
        sb.append('\n');
        return sb.toString();
    }

    /**
     * Writes the dump to {@code file}, creating missing parent directories. The text goes to a temporary file in the
     * same directory, which is then renamed over {@code file}: atomically where the file system can, else by a plain
     * replace. The temporary file is not forced to disk: a dump is rewritten every interval, and after a machine crash
     * an older or missing dump is acceptable, a periodic fsync is not.
     */
    public static void write(Report r, Map<String, String> meta, Path file) throws IOException {
        write(r, meta, file, null, null);
    }

    /** {@link #write(Report, Map, Path)} with the analyzer's sections (see {@link #toJson(Report, Map, AnalysisView,
     * AlertsView)}). */
    public static void write(Report r, Map<String, String> meta, Path file, AnalysisView analysis, AlertsView alerts)
            throws IOException {
        final byte[] bytes = toJson(r, meta, analysis, alerts).getBytes(StandardCharsets.UTF_8);
        final Path target = file.toAbsolutePath();
        final Path dir = target.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that creates the file owner-only (0600), and the rename would carry those
        // permissions to the dump, which other local tools and users may need to read.
        final Path tmp = dir.resolve("." + target.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        boolean moved = false;
        try {
            try (OutputStream out =
                    Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(bytes);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** The {@code probes} and {@code probe_table} members. */
    static void probes(JsonWriter w, Report r) {
        w.name("probes").beginArray();
        for (ProbeReport p : r.probes()) {
            w.newline();
            probe(w, p);
        }
        w.newline();
        w.endArray();
        w.name("probe_table").beginObject();
        w.name("registered").value(r.probes().size());
        w.name("rejected_registrations").value(r.rejectedRegistrations());
        w.endObject();
    }

    /** The {@code self} member, when the agent measured its cost. */
    static void self(JsonWriter w) {
        final Map<String, Double> self = SELF.get();
        if (self != null && !self.isEmpty()) {
            // The agent's own cost as it measured it (io.hotpath.agent.runtime.SelfCost); see docs/dump-format.md.
            w.name("self").beginObject();
            for (Map.Entry<String, Double> e : self.entrySet()) {
                w.name(e.getKey()).value(e.getValue(), SELF_DECIMALS);
            }
            w.endObject();
        }
    }

    private static void probe(JsonWriter w, ProbeReport p) {
        w.beginObject();
        w.name("id").value(p.id());
        w.name("name").value(p.name());
        w.name("kind").value(p.kind().label());
        w.name("state").value(p.state());

        final int[] slots = KindCounters.slots(p.kind());
        w.name("counters").beginObject();
        for (int slot : slots) {
            w.name(KindCounters.key(p.kind(), slot)).value(p.counter(slot));
        }
        w.endObject();
        w.name("rates").beginObject();
        for (int slot : slots) {
            w.name(KindCounters.key(p.kind(), slot)).value(p.rate(slot), DECIMALS);
        }
        w.endObject();

        for (int d = 0; d < Dist.COUNT; d++) {
            final ProbeReport.Distribution dist = p.dist(d);
            if (dist != null) {
                w.name(Dist.name(d)).beginObject();
                percentileMembers(w, dist.cumulative());
                w.name("interval").beginObject();
                percentileMembers(w, dist.interval());
                w.endObject();
                w.endObject();
            }
        }

        w.name("gauges").beginObject();
        for (int g = 0; g < Gauge.COUNT; g++) {
            final long value = p.gauge(g);
            if (value != Gauge.ABSENT) {
                w.name(Gauge.name(g)).value(value);
            }
        }
        w.endObject();
        w.endObject();
    }

    private static void percentileMembers(JsonWriter w, Percentiles p) {
        w.name("count").value(p.count());
        w.name("mean").value(p.average(), DECIMALS);
        w.name("p50").value(p.p50());
        w.name("p90").value(p.p90());
        w.name("p99").value(p.p99());
        w.name("p999").value(p.p999());
        w.name("max").value(p.max());
    }
}
