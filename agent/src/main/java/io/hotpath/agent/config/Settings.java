package io.hotpath.agent.config;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.optimize.Mode;
import io.hotpath.exporter.ExportSettings;
import io.hotpath.exporter.Severity;
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
                    "Master switch. false at start: the agent transforms no class and starts no thread. At run time (attach"
                            + " CLI set, HTTP POST /api/settings, JMX) false makes every recording call return at its first"
                            + " read; true resumes (docs/operator.md).",
                    Parsers.bool())
            .changeableAtRunTime();

    public static final Setting<Optional<String>> CONFIG_FILE = new Setting<>(
            "hotpath.config.file",
            "",
            "a path to a Java properties file (UTF-8, a regular file of at most 1 MiB)",
            "Properties file read after system properties and environment variables (lowest precedence but"
                    + " defaults).",
            Parsers.optionalText());

    public static final Setting<AgentLog.Level> LOG_LEVEL = new Setting<>(
                    "hotpath.log.level",
                    "info",
                    Parsers.words(AgentLog.Level.class),
                    "Lowest level of the agent's own messages on stderr.",
                    Parsers.oneOf(AgentLog.Level.class))
            .changeableAtRunTime();

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

    public static final Setting<Boolean> INSTRUMENT_SOCKETS = new Setting<>(
            "hotpath.instrument.sockets",
            "true",
            "true or false",
            "Measure JDK sockets: SocketChannel (TCP and UNIX-domain), DatagramChannel (UDP) and classic"
                    + " java.net.Socket streams: calls, bytes, latency, partial writes, connections opened and closed,"
                    + " per endpoint too. The agent's own export connections are not counted.",
            Parsers.bool());

    public static final Setting<Boolean> INSTRUMENT_NETTY = new Setting<>(
            "hotpath.instrument.netty",
            "true",
            "true or false",
            "Measure Netty 4.1 and 4.2 channels: outbound messages, bytes and flushes, pending outbound bytes,"
                    + " writability changes and how long channels stayed unwritable, ChannelGroup broadcasts (failed"
                    + " recipients, time until every write completed), event-loop pending tasks. Other versions are"
                    + " skipped.",
            Parsers.bool());

    public static final Setting<Boolean> INSTRUMENT_AERON = new Setting<>(
            "hotpath.instrument.aeron",
            "true",
            "true or false",
            "Measure Aeron publications (refused offer and tryClaim outcomes; bytes per stream read from the"
                    + " publication's position) and subscriptions (fragments per poll).",
            Parsers.bool());

    public static final Setting<Integer> IPC_ENDPOINTS_MAX = new Setting<>(
            "hotpath.ipc.endpoints.max",
            "128",
            "1 to 100000",
            "Most per-endpoint IPC probes (a socket's remote or listening address, a datagram channel's peer or"
                    + " local address, an Aeron channel and stream);"
                    + " later endpoints share one '<prefix> (other)' probe. Per-operation totals always count every"
                    + " call (for Aeron publications, every refused offer).",
            Parsers.integer(1, 100_000));

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
                    + " creation site (com.acme.Broadcaster.<init>:42; #2, #3 for more sites on that line). A pool's"
                    + " work queue built in its constructor call is named <pool name>.queue either way.",
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

    public static final Setting<Duration> TICK_IDLE = new Setting<>(
            "hotpath.tick.idle",
            "1s",
            "10ms to 1m, never shorter than hotpath.tick",
            "How often the agent's thread takes a snapshot while no probe moves: the interval doubles from"
                    + " hotpath.tick up to this after each snapshot that reads as the one before, and the first"
                    + " snapshot that differs brings hotpath.tick back. Equal to hotpath.tick ticks evenly.",
            Parsers.duration(Duration.ofMillis(10), Duration.ofMinutes(1)));

    public static final Setting<Integer> SAMPLING_RATE = new Setting<>(
            "hotpath.sampling.rate",
            "1000",
            "1 to 1000000",
            "Target number of timed calls per second per probe. Probes called less often than this time every call;"
                    + " hotter probes time one call in 2^k. Every call is counted regardless. Until its rate is first"
                    + " seen, a new probe is taken to be called 64,000 times a second (with the default, it times one"
                    + " call in 64; with 64000 or more, every call from the first).",
            Parsers.integer(1, 1_000_000));

    public static final Setting<Optional<OverheadLimits>> OVERHEAD_BUDGET = new Setting<>(
            "hotpath.overhead.budget",
            "off",
            OverheadLimits.ALLOWED,
            "What the agent may cost, checked every second from after= on: its own threads' CPU (background) and"
                    + " its estimated recording time on the application's threads (recording). Over budget it first"
                    + " times fewer calls, then sheds timings and distributions probe by probe, most expensive first;"
                    + " counts are never shed. After 5 s under half the budget it restores one step at a time. Each"
                    + " step is one log line and a hotpath.agent.overhead event.",
            text -> Optional.ofNullable(OverheadLimits.parse(text)));

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
                    Parsers.optionalDuration(Duration.ofMillis(100), Duration.ofHours(1)))
            .changeableAtRunTime();

    public static final Setting<Optional<Duration>> SUMMARY_INTERVAL = new Setting<>(
                    "hotpath.summary.interval",
                    "off",
                    "off, or 100ms to 1h",
                    "Print a compact summary of the busiest probes on stderr this often, and once at exit.",
                    Parsers.optionalDuration(Duration.ofMillis(100), Duration.ofHours(1)))
            .changeableAtRunTime();

    public static final Setting<Integer> SUMMARY_TOP = new Setting<>(
                    "hotpath.summary.top",
                    "10",
                    "1 to 1000",
                    "How many probes the summary shows.",
                    Parsers.integer(1, 1000))
            .changeableAtRunTime();

    public static final Setting<Duration> SHUTDOWN_TIMEOUT = new Setting<>(
            "hotpath.shutdown.timeout",
            "2s",
            "0ms to 60s",
            "Longest time the agent's exit work (final dump and summary) may add to JVM shutdown.",
            Parsers.duration(Duration.ZERO, Duration.ofSeconds(60)));

    public static final Setting<Boolean> JIT_DIRECTIVES = new Setting<>(
            "hotpath.jit.directives",
            "true",
            "true or false",
            "Two seconds after start, add a compiler directive (Compiler.directives_add) that keeps the agent's own"
                    + " background code (io.hotpath.agent, io.hotpath.exporter, the relocated io.hotpath.shaded"
                    + " libraries) out of C2, so that the JIT does not spend C2 compiles, arenas and code cache on it"
                    + " while the application warms up. The recording core and the application's methods are not"
                    + " matched; the application's own directives and -XX:CompileCommand options still apply.",
            Parsers.bool());

    public static final Setting<ExportSettings.Mode> EXPORT_EXPORTER = new Setting<>(
            "hotpath.export.exporter",
            "otlp",
            Parsers.words(ExportSettings.Mode.class),
            "Where metrics and events go: otlp sends them over OTLP, configured by the standard OTEL_EXPORTER_OTLP_*"
                    + " variables (default http/protobuf to http://localhost:4318; grpc to http://localhost:4317 or any"
                    + " http:// or https:// endpoint); logging prints them in the agent's log; none turns export off."
                    + " See docs/metrics.md.",
            Parsers.oneOf(ExportSettings.Mode.class));

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

    public static final Setting<Boolean> ANALYZER_ENABLED = new Setting<>(
            "hotpath.analyzer.enabled",
            "true",
            "true or false",
            "Run the bottleneck analyzer on the agent's thread every tick: findings, health and alerts (docs/analyzer.md).",
            Parsers.bool());

    public static final Setting<Duration> ANALYZER_WINDOW_SHORT = new Setting<>(
            "hotpath.analyzer.window.short",
            "1s",
            "200ms to 10s",
            "Short window: rates and percentiles are smoothed over it, and a condition must hold for half of it before it is a finding.",
            Parsers.duration(Duration.ofMillis(200), Duration.ofSeconds(10)));

    public static final Setting<Duration> ANALYZER_WINDOW_LONG = new Setting<>(
            "hotpath.analyzer.window.long",
            "30s",
            "5s to 1h",
            "Long window: time constant of the learned baselines (EWMA mean and spread) that anomalies are measured against.",
            Parsers.duration(Duration.ofSeconds(5), Duration.ofHours(1)));

    public static final Setting<Duration> ANALYZER_RESOLVE_AFTER = new Setting<>(
            "hotpath.analyzer.resolve-after",
            "3s",
            "200ms to 10m",
            "A finding whose condition has not held for this long is marked resolved.",
            Parsers.duration(Duration.ofMillis(200), Duration.ofMinutes(10)));

    public static final Setting<Duration> ANALYZER_SUSTAIN = new Setting<>(
            "hotpath.analyzer.sustain",
            "1s",
            "0ms to 10m",
            "A finding is reported as soon as it is confirmed, but stays info (no alert) until its condition has lasted"
                    + " this long without a gap of 3 ticks, so bursts are not warnings.",
            Parsers.duration(Duration.ZERO, Duration.ofMinutes(10)));

    public static final Setting<Integer> ANALYZER_QUEUE_DEPTH_WARNING = new Setting<>(
                    "hotpath.analyzer.queue-depth.warning",
                    "1000",
                    "1 to 1000000000",
                    "Queue depth (elements or tasks waiting at one probe) that is a warning finding.",
                    Parsers.integer(1, 1_000_000_000))
            .changeableAtRunTime();

    public static final Setting<Integer> ANALYZER_QUEUE_DEPTH_CRITICAL = new Setting<>(
                    "hotpath.analyzer.queue-depth.critical",
                    "5000",
                    "1 to 1000000000",
                    "Queue depth that is a critical finding.",
                    Parsers.integer(1, 1_000_000_000))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_THROUGHPUT_WARNING = new Setting<>(
                    "hotpath.analyzer.throughput.warning",
                    "100",
                    "0 to 1e9",
                    "Completions per second below which a probe that normally carries more, and still has work arriving or waiting, is a warning finding.",
                    Parsers.decimal(0, 1e9))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_THROUGHPUT_CRITICAL = new Setting<>(
                    "hotpath.analyzer.throughput.critical",
                    "50",
                    "0 to 1e9",
                    "Completions per second below which such a probe is a critical finding.",
                    Parsers.decimal(0, 1e9))
            .changeableAtRunTime();

    public static final Setting<Duration> ANALYZER_LATENCY_WARNING = new Setting<>(
                    "hotpath.analyzer.latency.warning",
                    "100ms",
                    "1us to 1h",
                    "p99 latency (call, task run or task queue time, blocked producer) over the short window that is a warning finding.",
                    Parsers.duration(Duration.ofNanos(1000), Duration.ofHours(1)))
            .changeableAtRunTime();

    public static final Setting<Duration> ANALYZER_LATENCY_CRITICAL = new Setting<>(
                    "hotpath.analyzer.latency.critical",
                    "500ms",
                    "1us to 1h",
                    "p99 latency over the short window that is a critical finding.",
                    Parsers.duration(Duration.ofNanos(1000), Duration.ofHours(1)))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_ERROR_RATE_WARNING = new Setting<>(
                    "hotpath.analyzer.error-rate.warning",
                    "1%",
                    "0% to 100%",
                    "Share of calls or tasks that threw that is a warning finding.",
                    Parsers.decimal(0, 1))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_ERROR_RATE_CRITICAL = new Setting<>(
                    "hotpath.analyzer.error-rate.critical",
                    "5%",
                    "0% to 100%",
                    "Share of calls or tasks that threw that is a critical finding.",
                    Parsers.decimal(0, 1))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_BACKPRESSURE_WARNING = new Setting<>(
                    "hotpath.analyzer.back-pressure.warning",
                    "1%",
                    "0% to 100%",
                    "Share of what was offered (accepted + refused) that was dropped, rejected, run by the caller, blocked or"
                            + " partially written, from which back-pressure is a warning finding.",
                    Parsers.decimal(0, 1))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_BACKPRESSURE_CRITICAL = new Setting<>(
                    "hotpath.analyzer.back-pressure.critical",
                    "5%",
                    "0% to 100%",
                    "Share of what was offered (accepted + refused) that was dropped, rejected, run by the caller, blocked or"
                            + " partially written, from which back-pressure is a critical finding.",
                    Parsers.decimal(0, 1))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_SATURATION_BUSY = new Setting<>(
                    "hotpath.analyzer.saturation.busy",
                    "90%",
                    "1% to 100%",
                    "Share of a pool's threads running tasks at which, with tasks waiting, the pool is saturated.",
                    Parsers.decimal(0.01, 1))
            .changeableAtRunTime();

    public static final Setting<Integer> ANALYZER_SATURATION_MIN_DEPTH = new Setting<>(
                    "hotpath.analyzer.saturation.min-depth",
                    "64",
                    "1 to 1000000000",
                    "Smallest queue depth at which arrivals outrunning completions is reported as saturation.",
                    Parsers.integer(1, 1_000_000_000))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_ANOMALY_Z = new Setting<>(
                    "hotpath.analyzer.anomaly.z",
                    "3",
                    "1 to 100",
                    "z-score against the learned baseline above which latency or depth is anomalous.",
                    Parsers.decimal(1, 100))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_GC_WARNING = new Setting<>(
                    "hotpath.analyzer.gc.warning",
                    "10%",
                    "0% to 100%",
                    "Share of wall time spent in GC pauses over the short window that is a warning finding.",
                    Parsers.decimal(0, 1))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_GC_CRITICAL = new Setting<>(
                    "hotpath.analyzer.gc.critical",
                    "25%",
                    "0% to 100%",
                    "Share of wall time spent in GC pauses that is a critical finding.",
                    Parsers.decimal(0, 1))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_LOCKS_WARNING = new Setting<>(
                    "hotpath.analyzer.locks.warning",
                    "0.5",
                    "0 to 100000",
                    "Application threads blocked on monitors, on average over the short window, that is a warning finding.",
                    Parsers.decimal(0, 100_000))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_LOCKS_CRITICAL = new Setting<>(
                    "hotpath.analyzer.locks.critical",
                    "1.5",
                    "0 to 100000",
                    "Threads blocked on monitors, on average, that is a critical finding.",
                    Parsers.decimal(0, 100_000))
            .changeableAtRunTime();

    public static final Setting<Boolean> ANALYZER_LOCKS_MONITORING = new Setting<>(
            "hotpath.analyzer.locks.monitoring",
            "false",
            "true or false",
            "Turn on the JVM's thread contention monitoring for exact blocked times. It is JVM-wide and adds clock reads to every contended monitor enter, wait and park of the application; off (the default): blocked threads are counted from thread states read every hotpath.analyzer.jvm.interval.",
            Parsers.bool());

    public static final Setting<Double> ANALYZER_CPU_WARNING = new Setting<>(
                    "hotpath.analyzer.cpu.warning",
                    "85%",
                    "1% to 100%",
                    "Process CPU use (share of all cores) over the short window that is a warning finding; the machine at this level with the process below it is info.",
                    Parsers.decimal(0.01, 1))
            .changeableAtRunTime();

    public static final Setting<Double> ANALYZER_CPU_CRITICAL = new Setting<>(
                    "hotpath.analyzer.cpu.critical",
                    "95%",
                    "1% to 100%",
                    "Process CPU use that is a critical finding.",
                    Parsers.decimal(0.01, 1))
            .changeableAtRunTime();

    public static final Setting<Duration> ANALYZER_JVM_INTERVAL = new Setting<>(
            "hotpath.analyzer.jvm.interval",
            "200ms",
            "10ms to 1m",
            "How often thread states and CPU are read for the JVM detectors (GC is read every tick).",
            Parsers.duration(Duration.ofMillis(10), Duration.ofMinutes(1)));

    public static final Setting<Double> ANALYZER_WARMUP_JIT = new Setting<>(
            "hotpath.analyzer.warmup.jit",
            "50%",
            "1% to 1000%",
            "JIT compilation time over the short window, as a share of one CPU, at which the JVM counts as warming up: flow, CPU and lock findings are then held at info, and open an incident only if they still hold once the JIT has settled (docs/analyzer.md, \"Warm-up\").",
            Parsers.decimal(0.01, 10));

    public static final Setting<Integer> ANALYZER_FINDINGS_MAX = new Setting<>(
            "hotpath.analyzer.findings.max",
            "256",
            "16 to 100000",
            "Most findings kept (active and recently resolved); bounds the analyzer's memory.",
            Parsers.integer(16, 100_000));

    public static final Setting<Integer> PIPELINE_EDGES_MAX = new Setting<>(
            "hotpath.pipeline.edges.max",
            "4096",
            "16 to 1048576",
            "Most pipeline edges (from one probe to another) the recording core learns; rounded up to a power of two."
                    + " Samples of edges beyond it are counted (the dump's pipeline.edge_overflow), not kept.",
            Parsers.integer(16, 1 << 20));

    public static final Setting<Boolean> ALERTS_ENABLED = new Setting<>(
            "hotpath.alerts.enabled",
            "true",
            "true or false",
            "Raise alerts from findings and health changes.",
            Parsers.bool());

    public static final Setting<Severity> ALERTS_MIN_SEVERITY = new Setting<>(
                    "hotpath.alerts.min-severity",
                    "warning",
                    Parsers.words(Severity.class),
                    "Least severe finding that raises an alert.",
                    Parsers.oneOf(Severity.class))
            .changeableAtRunTime();

    public static final Setting<Duration> ALERTS_COOLDOWN = new Setting<>(
                    "hotpath.alerts.cooldown",
                    "5m",
                    "0ms to 24h",
                    "After an alert, the same alert key (kind, probe, severity) is not raised again for this long.",
                    Parsers.duration(Duration.ZERO, Duration.ofHours(24)))
            .changeableAtRunTime();

    public static final Setting<Integer> ALERTS_RATE_LIMIT = new Setting<>(
                    "hotpath.alerts.rate-limit",
                    "10",
                    "1 to 100000",
                    "Most alerts sent per minute over all keys; the rest are counted as suppressed.",
                    Parsers.integer(1, 100_000))
            .changeableAtRunTime();

    public static final Setting<List<String>> ALERTS_CHANNELS = new Setting<>(
            "hotpath.alerts.channels",
            "log;otlp;webhook",
            "any of log, otlp, webhook separated by ;",
            "Where alerts go: a log line, an OTLP log event through the exporter, an HTTP POST to hotpath.alerts.webhook.url (only when set).",
            Parsers.oneOfList("log", "otlp", "webhook"));

    public static final Setting<Optional<String>> ALERTS_WEBHOOK_URL = new Setting<>(
            "hotpath.alerts.webhook.url",
            "",
            "an http or https URL",
            "Webhook that receives each alert as a JSON POST, asynchronously. The agent never prints the URL's user info, query or fragment (shown as ***), so credentials in it stay out of logs.",
            Parsers.optionalText());

    public static final Setting<Duration> ALERTS_WEBHOOK_TIMEOUT = new Setting<>(
            "hotpath.alerts.webhook.timeout",
            "5s",
            "100ms to 5m",
            "Timeout of one webhook POST.",
            Parsers.duration(Duration.ofMillis(100), Duration.ofMinutes(5)));

    public static final Setting<Integer> ALERTS_WEBHOOK_RETRIES = new Setting<>(
            "hotpath.alerts.webhook.retries",
            "3",
            "0 to 100",
            "Retries of a failed webhook POST, with doubling pauses from 500ms.",
            Parsers.integer(0, 100));

    public static final Setting<Integer> ALERTS_WEBHOOK_QUEUE = new Setting<>(
            "hotpath.alerts.webhook.queue",
            "100",
            "1 to 100000",
            "Alerts waiting for the webhook; when full, new ones are dropped and counted.",
            Parsers.integer(1, 100_000));

    public static final Setting<Optional<Duration>> ALERTS_ESCALATE_AFTER = new Setting<>(
                    "hotpath.alerts.escalate.after",
                    "off",
                    "off, or 1s to 24h",
                    "A critical alert not acknowledged (HTTP, JMX) this long after it was sent re-fires to the next channel of"
                            + " hotpath.alerts.channels, and again to the one after each further period. off: no escalation.",
                    Parsers.optionalDuration(Duration.ofSeconds(1), Duration.ofHours(24)))
            .changeableAtRunTime();

    public static final Setting<String> TUNABLES = new Setting<>(
            "hotpath.tunables",
            "",
            "entries <name>=<class>#<field>:<role>[<min>..<max>] separated by ;, role one of batch-size,"
                    + " flush-interval, concurrency, compression, shards, generic",
            "Fields the optimizer may tune, e.g. batch=com.acme.Broadcaster#batchSize:batch-size[1..512]. Static or"
                    + " instance, int, long or boolean, final allowed, not compile-time constants; reads in the"
                    + " declaring class and its package are redirected (docs/optimizer.md). A bad entry is reported"
                    + " and skipped.",
            text -> text);

    public static final Setting<Mode> OPTIMIZER_MODE = new Setting<>(
                    "hotpath.optimizer.mode",
                    "advise",
                    Parsers.words(Mode.class),
                    "off: no optimizer work at all; advise: recommendations only, logged and audited; apply: changes"
                            + " tunables inside guardrails. Also read at runtime as a kill switch (off restores every"
                            + " tunable).",
                    Parsers.oneOf(Mode.class))
            .changeableAtRunTime();

    public static final Setting<Duration> OPTIMIZER_SLO_P99 = new Setting<>(
                    "hotpath.optimizer.slo.p99",
                    "100ms",
                    "1ms to 1h",
                    "Latency objective: the optimizer raises throughput only while the path's p99 stays at or below this.",
                    Parsers.duration(Duration.ofMillis(1), Duration.ofHours(1)))
            .changeableAtRunTime();

    public static final Setting<String> OPTIMIZER_RULES = new Setting<>(
            "hotpath.optimizer.rules",
            "",
            "entries [<name>:] when <finding kind> [on <probe glob>] then <tunable|@role> <up|down|on|off> [by"
                    + " x<factor>|<n>] [cooldown <duration>] [priority <n>] separated by ;",
            "User rules (docs/optimizer.md); all rules are tried lowest priority number first, user rules ahead of"
                    + " built-in ones of the same priority. A bad entry is reported and skipped.",
            text -> text);

    public static final Setting<Duration> OPTIMIZER_WINDOW = new Setting<>(
            "hotpath.optimizer.window",
            "1s",
            "200ms to 1m",
            "Length of one optimizer window: the optimizer measures each path and decides once per window. Keep it a"
                    + " whole multiple of any load cycle (the reference burst scenario repeats every second).",
            Parsers.duration(Duration.ofMillis(200), Duration.ofMinutes(1)));

    public static final Setting<Integer> OPTIMIZER_VERIFY_WINDOWS = new Setting<>(
            "hotpath.optimizer.verify.windows",
            "3",
            "2 to 30",
            "Analyzer windows compared before and after each change (Welch's t-test on per-window throughput).",
            Parsers.integer(2, 30));

    public static final Setting<Integer> OPTIMIZER_COOLDOWN_WINDOWS = new Setting<>(
            "hotpath.optimizer.cooldown.windows",
            "1",
            "0 to 100",
            "Windows to wait after each verdict before the next change of the same tunable (plus up to 1 of jitter).",
            Parsers.integer(0, 100));

    public static final Setting<Integer> OPTIMIZER_FREEZE_WINDOWS = new Setting<>(
            "hotpath.optimizer.freeze.windows",
            "30",
            "1 to 10000",
            "After two rollbacks in a row a tunable is frozen this many windows, then one half-open trial is allowed.",
            Parsers.integer(1, 10_000));

    public static final Setting<Optional<Integer>> HTTP_PORT = new Setting<>(
            "hotpath.http.port",
            "",
            "empty (off), or a port from 0 to 65535; 0 picks a free port",
            "Serve the local HTTP endpoint (JSON API and page, docs/http-api.md) on this port. Unset: no endpoint,"
                    + " no listening socket. The chosen port is logged as 'HTTP endpoint on http://host:port/'.",
            Parsers.optionalInteger(0, 65_535));

    public static final Setting<String> HTTP_HOST = new Setting<>(
            "hotpath.http.host",
            "127.0.0.1",
            "an IP address or host name of this machine",
            "Address the HTTP endpoint binds. Anything but a loopback address exposes the API to the network and is"
                    + " logged as a warning.",
            text -> {
                if (text.isBlank()) {
                    throw new IllegalArgumentException("expected an IP address or host name");
                }
                return text.trim();
            });

    public static final Setting<Optional<String>> HTTP_TOKEN = new Setting<>(
            "hotpath.http.token",
            "",
            "at least 16 characters of letters, digits, - . _ ~ + /",
            "Bearer token that HTTP writes (POST) must send as 'Authorization: Bearer <token>'. Unset: a random"
                    + " 128-bit token is generated at start and logged once, on the line after the endpoint's.",
            text -> {
                final String t = text.trim();
                if (t.isEmpty()) {
                    return Optional.empty();
                }
                if (t.length() < 16 || !t.matches("[A-Za-z0-9._~+/=-]+")) {
                    throw new IllegalArgumentException(
                            "expected at least 16 characters of letters, digits, - . _ ~ + / =");
                }
                return Optional.of(t);
            });

    public static final Setting<Boolean> JMX_ENABLED = new Setting<>(
            "hotpath.jmx.enabled",
            "true",
            "true or false",
            "Register the io.hotpath:type=Agent MXBean on the platform MBean server (reads and audited writes, as"
                    + " over HTTP). Registering opens no port: it is reachable only where the JVM's JMX already is.",
            Parsers.bool());

    // Debug tools (docs/operator.md, "Trace, inspect, queue contents").

    public static final Setting<Optional<String>> TRACE_PROBE = new Setting<>(
            "hotpath.trace.probe",
            "",
            "empty (no trace at start), or a probe name as the dump shows it",
            "Trace this probe from start (or from when it first appears, within hotpath.trace.duration): every event"
                    + " through it with time, thread, outcome and amount, written as JSON lines to a file under"
                    + " hotpath.trace.dir. A trace can also be started at run time (HTTP POST /api/trace, JMX, CLI).",
            Parsers.optionalText());

    public static final Setting<Duration> TRACE_DURATION = new Setting<>(
            "hotpath.trace.duration",
            "60s",
            "1s to 1h",
            "How long a trace runs at most (it also ends at hotpath.trace.max events); the default for a trace started"
                    + " at run time without a duration.",
            Parsers.duration(Duration.ofSeconds(1), Duration.ofHours(1)));

    public static final Setting<Integer> TRACE_MAX = new Setting<>(
            "hotpath.trace.max",
            "10000",
            "1 to 100000",
            "Most events one trace keeps (about 36 bytes each, allocated when the trace starts, freed when its file is"
                    + " written); the default for a trace started at run time without a max.",
            Parsers.integer(1, io.hotpath.bootstrap.Trace.MAX_ENTRIES));

    public static final Setting<Optional<String>> TRACE_DIR = new Setting<>(
            "hotpath.trace.dir",
            "",
            "empty (the JVM's temporary directory, java.io.tmpdir), or a directory path",
            "Directory the trace files are written to, as hotpath-trace-PID-N.jsonl; created when missing.",
            Parsers.optionalText());

    public static final Setting<Boolean> INSPECT_CONTENTS_ENABLED = new Setting<>(
            "hotpath.inspect.contents.enabled",
            "false",
            "true or false",
            "Allow GET /api/queue-contents (and its JMX and CLI forms) to show a queue's elements. Off by default:"
                    + " elements may hold sensitive data.",
            Parsers.bool());

    public static final Setting<Integer> INSPECT_CONTENTS_MAX_CHARS = new Setting<>(
            "hotpath.inspect.contents.max-chars",
            "200",
            "8 to 10000",
            "Each element's toString in a queue-contents answer is cut to this many characters.",
            Parsers.integer(8, 10_000));

    /**
     * The lists that took {@code ,} between entries before every list settled on {@code ;}: a {@code ,} in them still
     * separates, with a deprecation warning.
     */
    static final List<Setting<?>> COMMA_LISTS = List.of(INCLUDE, EXCLUDE, ALERTS_CHANNELS);

    /** All settings, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(
            ENABLED,
            CONFIG_FILE,
            LOG_LEVEL,
            PROBES_MAX,
            INSTRUMENT_QUEUES,
            INSTRUMENT_EXECUTORS,
            INSTRUMENT_SOCKETS,
            INSTRUMENT_NETTY,
            INSTRUMENT_AERON,
            IPC_ENDPOINTS_MAX,
            INCLUDE,
            EXCLUDE,
            INCLUDE_JDK,
            NAME_BY_FIELD,
            RENAME,
            PROBES,
            TICK,
            TICK_IDLE,
            SAMPLING_RATE,
            OVERHEAD_BUDGET,
            DUMP_FILE,
            DUMP_INTERVAL,
            SUMMARY_INTERVAL,
            SUMMARY_TOP,
            SHUTDOWN_TIMEOUT,
            JIT_DIRECTIVES,
            EXPORT_EXPORTER,
            EXPORT_PROBES_MAX,
            EXPORT_HISTOGRAM_MAX_BUCKETS,
            EXPORT_FLUSH_TIMEOUT,
            ANALYZER_ENABLED,
            ANALYZER_WINDOW_SHORT,
            ANALYZER_WINDOW_LONG,
            ANALYZER_RESOLVE_AFTER,
            ANALYZER_SUSTAIN,
            ANALYZER_QUEUE_DEPTH_WARNING,
            ANALYZER_QUEUE_DEPTH_CRITICAL,
            ANALYZER_THROUGHPUT_WARNING,
            ANALYZER_THROUGHPUT_CRITICAL,
            ANALYZER_LATENCY_WARNING,
            ANALYZER_LATENCY_CRITICAL,
            ANALYZER_ERROR_RATE_WARNING,
            ANALYZER_ERROR_RATE_CRITICAL,
            ANALYZER_BACKPRESSURE_WARNING,
            ANALYZER_BACKPRESSURE_CRITICAL,
            ANALYZER_SATURATION_BUSY,
            ANALYZER_SATURATION_MIN_DEPTH,
            ANALYZER_ANOMALY_Z,
            ANALYZER_GC_WARNING,
            ANALYZER_GC_CRITICAL,
            ANALYZER_LOCKS_WARNING,
            ANALYZER_LOCKS_CRITICAL,
            ANALYZER_LOCKS_MONITORING,
            ANALYZER_CPU_WARNING,
            ANALYZER_CPU_CRITICAL,
            ANALYZER_JVM_INTERVAL,
            ANALYZER_WARMUP_JIT,
            ANALYZER_FINDINGS_MAX,
            PIPELINE_EDGES_MAX,
            ALERTS_ENABLED,
            ALERTS_MIN_SEVERITY,
            ALERTS_COOLDOWN,
            ALERTS_RATE_LIMIT,
            ALERTS_CHANNELS,
            ALERTS_WEBHOOK_URL,
            ALERTS_WEBHOOK_TIMEOUT,
            ALERTS_WEBHOOK_RETRIES,
            ALERTS_WEBHOOK_QUEUE,
            ALERTS_ESCALATE_AFTER,
            TUNABLES,
            OPTIMIZER_MODE,
            OPTIMIZER_SLO_P99,
            OPTIMIZER_RULES,
            OPTIMIZER_WINDOW,
            OPTIMIZER_VERIFY_WINDOWS,
            OPTIMIZER_COOLDOWN_WINDOWS,
            OPTIMIZER_FREEZE_WINDOWS,
            HTTP_PORT,
            HTTP_HOST,
            HTTP_TOKEN,
            JMX_ENABLED,
            // debug tools
            TRACE_PROBE,
            TRACE_DURATION,
            TRACE_MAX,
            TRACE_DIR,
            INSPECT_CONTENTS_ENABLED,
            INSPECT_CONTENTS_MAX_CHARS);

    /**
     * The settings that may change while the application runs (HTTP {@code POST /api/settings}, JMX): each is applied
     * by {@code io.hotpath.agent.operate.Operations}. Every other setting is read at start only.
     */
    public static final List<Setting<?>> CHANGEABLE_AT_RUN_TIME =
            ALL.stream().filter(Setting::atRunTime).toList();

    /**
     * Why {@code s} (not changeable at run time) is read at start only: one clause for the 409 answer to a change.
     */
    public static String startOnlyReason(Setting<?> s) {
        final String k = s.key();
        if (s == PROBES_MAX || s == IPC_ENDPOINTS_MAX || s == EXPORT_PROBES_MAX) {
            return "it sizes a table allocated once at start";
        }
        if (k.startsWith("hotpath.http.") || s == JMX_ENABLED) {
            return "the endpoint is bound or registered once at start";
        }
        if (k.startsWith("hotpath.instrument.")) {
            return "advice is installed at start; turn the module off or on with POST /api/modules/{name}";
        }
        if (s == INCLUDE
                || s == EXCLUDE
                || s == INCLUDE_JDK
                || s == NAME_BY_FIELD
                || s == RENAME
                || s == PROBES
                || s == TUNABLES) {
            return "it applies when a class is defined, and classes already loaded keep what they were given";
        }
        if (k.startsWith("hotpath.export.") || k.startsWith("hotpath.alerts.webhook.") || s == ALERTS_CHANNELS) {
            return "its connections and readers are built once at start";
        }
        if (s == TICK
                || s == TICK_IDLE
                || s == ANALYZER_WINDOW_SHORT
                || s == ANALYZER_WINDOW_LONG
                || s == ANALYZER_RESOLVE_AFTER
                || s == ANALYZER_SUSTAIN
                || s == ANALYZER_FINDINGS_MAX
                || s == ANALYZER_JVM_INTERVAL) {
            return "the analyzer's windows and history are sized from it at start";
        }
        if (s == OPTIMIZER_RULES
                || s == OPTIMIZER_WINDOW
                || s == OPTIMIZER_VERIFY_WINDOWS
                || s == OPTIMIZER_COOLDOWN_WINDOWS
                || s == OPTIMIZER_FREEZE_WINDOWS) {
            return "the optimizer's rules, windows and guardrails are built from it at start";
        }
        if (s == SAMPLING_RATE || s == OVERHEAD_BUDGET) {
            return "the sampling controller and the overhead budget are built from it at start (both adapt the"
                    + " sampling themselves while running)";
        }
        if (k.startsWith("hotpath.trace.")) {
            return "it applies to the trace started at start; start a trace at run time with POST /api/trace";
        }
        if (k.startsWith("hotpath.inspect.")) {
            return "whether queue contents may be shown is decided once, by whoever starts the JVM";
        }
        if (s == ENABLED || s == ANALYZER_ENABLED || s == ALERTS_ENABLED || s == ANALYZER_LOCKS_MONITORING) {
            return "it decides at start which parts exist";
        }
        return "it is read once at start";
    }

    /** Whether {@code s} may change while the application runs: see {@link Setting#atRunTime()}. */
    public static boolean changeableAtRunTime(Setting<?> s) {
        return s.atRunTime();
    }

    /** The setting named {@code key}, or null. */
    public static Setting<?> find(String key) {
        return byKey(key);
    }

    /** The setting named {@code key}, or null. */
    static Setting<?> byKey(String key) {
        for (Setting<?> s : ALL) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }
}
