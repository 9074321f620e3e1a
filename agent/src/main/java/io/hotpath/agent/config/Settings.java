package io.hotpath.agent.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every {@code hotpath.*} property the agent reads. docs/configuration.md lists the same; a test keeps them equal. */
public final class Settings {
    private Settings() {}

    public static final Setting<Boolean> ENABLED = new Setting<>(
            "hotpath.enabled",
            "true",
            "true or false",
            "Master switch. false: the agent transforms no class and starts no thread.",
            Parsers.bool());

    public static final Setting<Optional<String>> CONFIG_FILE = new Setting<>(
            "hotpath.config.file",
            "",
            "a path to a Java properties file",
            "Properties file read after system properties and environment variables (lowest precedence but"
                    + " defaults).",
            Parsers.optionalText());

    public static final Setting<String> LOG_LEVEL = new Setting<>(
            "hotpath.log.level",
            "info",
            "off, error, warn, info, debug",
            "Lowest level of the agent's own messages on stderr.",
            Parsers.oneOf("off", "error", "warn", "info", "debug"));

    public static final Setting<Integer> PROBES_MAX = new Setting<>(
            "hotpath.probes.max",
            "4096",
            "16 to 1000000",
            "Capacity of the probe table; bounds the agent's memory. Sites beyond it share the hotpath.overflow probe.",
            Parsers.integer(16, 1_000_000));

    public static final Setting<Boolean> INSTRUMENT_QUEUES = new Setting<>(
            "hotpath.instrument.queues",
            "true",
            "true or false",
            "Measure java.util.concurrent queues created by application code.",
            Parsers.bool());

    public static final Setting<Boolean> INSTRUMENT_EXECUTORS = new Setting<>(
            "hotpath.instrument.executors",
            "true",
            "true or false",
            "Measure ThreadPoolExecutor and ScheduledThreadPoolExecutor pools created by application code, directly"
                    + " or through Executors.",
            Parsers.bool());

    public static final Setting<List<String>> INCLUDE = new Setting<>(
            "hotpath.include",
            "",
            "class-name globs separated by ; (e.g. com.acme.*)",
            "Only classes matching one of these are instrumented. Empty: every application class.",
            Parsers.globList());

    public static final Setting<List<String>> EXCLUDE = new Setting<>(
            "hotpath.exclude",
            "",
            "class-name globs separated by ;",
            "Classes matching one of these are never instrumented; wins over hotpath.include.",
            Parsers.globList());

    public static final Setting<Boolean> INCLUDE_JDK = new Setting<>(
            "hotpath.include.jdk",
            "false",
            "true or false",
            "Also measure queues and pools that JDK classes create (java.*, javax.*, jdk.*, sun.*, com.sun.*),"
                    + " except inside java.lang and java.util.concurrent themselves.",
            Parsers.bool());

    public static final Setting<Boolean> NAME_BY_FIELD = new Setting<>(
            "hotpath.name.by-field",
            "true",
            "true or false",
            "Name a queue or pool after the field it is stored in right after construction"
                    + " (com.acme.Broadcaster.inbox); otherwise, or when it is not stored in a field, after the"
                    + " creation site (com.acme.Broadcaster.<init>:42).",
            Parsers.bool());

    public static final Setting<Map<String, String>> RENAME = new Setting<>(
            "hotpath.rename",
            "",
            "<probe name>=<new name> entries separated by ;",
            "Renames probes, e.g. com.acme.Broadcaster.<init>:42=ingress.",
            Parsers.renames());

    public static final Setting<String> PROBES = new Setting<>(
            "hotpath.probes",
            "",
            "entries <class pattern>#<method pattern>[:<kind>] separated by ;, kind one of method, broadcast, batch,"
                    + " ipc; * matches any characters",
            "Methods to measure (calls, errors, latency; for batch and broadcast also the size of a collection or"
                    + " array first argument), e.g. com.acme.Broadcaster#publish:broadcast;com.acme.*Handler#handle*."
                    + " A malformed entry is reported and skipped.",
            text -> text);

    public static final Setting<Duration> TICK = new Setting<>(
            "hotpath.tick",
            "100ms",
            "10ms to 10s",
            "How often the agent's thread takes a snapshot of all probes.",
            Parsers.duration(Duration.ofMillis(10), Duration.ofSeconds(10)));

    public static final Setting<Integer> SAMPLING_RATE = new Setting<>(
            "hotpath.sampling.rate",
            "1000",
            "1 to 1000000",
            "Target number of timed calls per second per probe. Probes called less often than this time every call;"
                    + " hotter probes time one call in 2^k. Every call is counted regardless.",
            Parsers.integer(1, 1_000_000));

    public static final Setting<Optional<String>> DUMP_FILE = new Setting<>(
            "hotpath.dump.file",
            "",
            "a file path",
            "Write a JSON snapshot of all probes (docs/dump-format.md) to this file at exit and every"
                    + " hotpath.dump.interval.",
            Parsers.optionalText());

    public static final Setting<Optional<Duration>> DUMP_INTERVAL = new Setting<>(
            "hotpath.dump.interval",
            "off",
            "off, or 100ms to 1h",
            "How often to rewrite hotpath.dump.file while running; off writes it at exit only.",
            Parsers.optionalDuration(Duration.ofMillis(100), Duration.ofHours(1)));

    public static final Setting<Optional<Duration>> SUMMARY_INTERVAL = new Setting<>(
            "hotpath.summary.interval",
            "off",
            "off, or 100ms to 1h",
            "Print a compact summary of the busiest probes on stderr this often, and once at exit.",
            Parsers.optionalDuration(Duration.ofMillis(100), Duration.ofHours(1)));

    public static final Setting<Integer> SUMMARY_TOP = new Setting<>(
            "hotpath.summary.top", "10", "1 to 1000", "How many probes the summary shows.", Parsers.integer(1, 1000));

    public static final Setting<Duration> SHUTDOWN_TIMEOUT = new Setting<>(
            "hotpath.shutdown.timeout",
            "2s",
            "0ms to 60s",
            "Longest time the agent's exit work (final dump and summary) may add to JVM shutdown.",
            Parsers.duration(Duration.ZERO, Duration.ofSeconds(60)));

    public static final Setting<String> EXPORT_EXPORTER = new Setting<>(
            "hotpath.export.exporter",
            "otlp",
            "otlp, logging, none",
            "Where metrics and events go: otlp sends them over OTLP, configured by the standard OTEL_EXPORTER_OTLP_*"
                    + " variables (default http://localhost:4318); logging prints them in the agent's log; none turns"
                    + " export off. See docs/metrics.md.",
            Parsers.oneOf("otlp", "logging", "none"));

    public static final Setting<Integer> EXPORT_PROBES_MAX = new Setting<>(
            "hotpath.export.probes.max",
            "2000",
            "1 to 1000000",
            "Probes exported with their own hotpath.probe.name series; later ones are added up into one series per"
                    + " metric marked otel.metric.overflow=true, and counted in hotpath.export.probe.folded.",
            Parsers.integer(1, 1_000_000));

    public static final Setting<Integer> EXPORT_HISTOGRAM_MAX_BUCKETS = new Setting<>(
            "hotpath.export.histogram.max-buckets",
            "320",
            "16 to 4096",
            "Most buckets in one exported exponential histogram point; wider distributions are sent at a coarser"
                    + " scale (each halving doubles the bucket width from 2.2 %).",
            Parsers.integer(16, 4096));

    public static final Setting<Duration> EXPORT_FLUSH_TIMEOUT = new Setting<>(
            "hotpath.export.flush.timeout",
            "2s",
            "0ms to 60s",
            "Longest time the final OTLP export may add to JVM shutdown; 0ms skips it.",
            Parsers.duration(Duration.ZERO, Duration.ofSeconds(60)));

    /** All settings, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(
            ENABLED,
            CONFIG_FILE,
            LOG_LEVEL,
            PROBES_MAX,
            INSTRUMENT_QUEUES,
            INSTRUMENT_EXECUTORS,
            INCLUDE,
            EXCLUDE,
            INCLUDE_JDK,
            NAME_BY_FIELD,
            RENAME,
            PROBES,
            TICK,
            SAMPLING_RATE,
            DUMP_FILE,
            DUMP_INTERVAL,
            SUMMARY_INTERVAL,
            SUMMARY_TOP,
            SHUTDOWN_TIMEOUT,
            EXPORT_EXPORTER,
            EXPORT_PROBES_MAX,
            EXPORT_HISTOGRAM_MAX_BUCKETS,
            EXPORT_FLUSH_TIMEOUT);
}
