package io.hotpath.exporter;

import io.hotpath.bootstrap.ipc.AgentThreads;
import io.hotpath.exporter.config.OtlpSettings;
import io.hotpath.exporter.config.Protocol;
import io.hotpath.exporter.metrics.HealthReading;
import io.hotpath.exporter.metrics.SnapshotConverter;
import io.hotpath.exporter.metrics.SnapshotMetricProducer;
import io.hotpath.exporter.metrics.WarmUpBatch;
import io.hotpath.exporter.otlp.DaemonThreads;
import io.hotpath.exporter.otlp.ExportHealth;
import io.hotpath.exporter.otlp.LogLineExporters;
import io.hotpath.exporter.otlp.MarshalWarmUp;
import io.hotpath.exporter.otlp.OtlpExporters;
import io.hotpath.exporter.otlp.ReportingLogRecordExporter;
import io.hotpath.exporter.otlp.ReportingMetricExporter;
import io.hotpath.exporter.otlp.SdkLogBridge;
import io.hotpath.exporter.otlp.SenderLoader;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The running export: an SDK {@code MeterProvider} whose periodic reader asks {@link SnapshotMetricProducer} for the
 * core's totals each interval, and an SDK {@code LoggerProvider} that ships {@link Event}s as OTLP log records.
 *
 * <p><b>Threads.</b> All daemon: the reader's tick ({@code hotpath-export-*}) and worker ({@code
 * PeriodicMetricReader-worker}), the log batcher ({@code BatchLogRecordProcessor_WorkerThread}), at most four sender
 * threads ({@code hotpath-otlp-*}) that do the blocking HTTP work and its retries, and the one JDK HTTP client that all
 * three OTLP exporters (periodic metrics, final metrics, events) share: its selector thread and two workers ({@code
 * hotpath-otlp-http-*}) that live as long as it does.
 * Application threads never run any of it: the core is read through snapshots, and {@link #emit} only enqueues.
 *
 * <p><b>Memory while the receiver is away.</b> Bounded and independent of the outage's length: one export in flight
 * at a time (ticks that come while it is busy are skipped, not queued), a failed batch is dropped, and since every
 * point is cumulative the next success is exact again. Events wait in the batcher's bounded queue (512); more are
 * dropped.
 *
 * <p><b>Failures.</b> Retries with exponential backoff within one export (the SDK's policy: 5 attempts, 1 s doubling
 * by 1.5 up to 5 s, all within {@code OTEL_EXPORTER_OTLP_TIMEOUT}; 429, 502, 503, 504 and I/O errors), then again next
 * interval. {@link ExportHealth} logs one line a minute at most.
 *
 * <p><b>Exit.</b> {@link #flushAtExit} sends one last snapshot through a separate exporter whose retries are quick and
 * skip an absent receiver, so it finishes within its timeout even while a periodic export is stuck on a slow receiver.
 */
public final class Exporter {
    /** Instrumentation scope name of everything hotpath exports. */
    public static final String SCOPE = "io.hotpath";

    private static final int EVENT_QUEUE = 512;

    private final ExportSettings settings;
    private final ExportLog log;
    private final ExportHealth health;
    private final Resource resource;
    private final ExecutorService senders;
    private final SenderLoader senderLoader = new SenderLoader();

    /** The Prometheus scrape's request pool, or null: ended and waited for by {@link #shutdown}. */
    private volatile ExecutorService prometheusRequests;

    private final SnapshotMetricProducer producer;
    private final InstrumentationScopeInfo scope;
    private final long startEpochNanos;
    private final MetricExporter exitMetrics;
    private final boolean eventsUsable;
    // Built by startPipelines, after the final export's path is ready (see prepare); null until then.
    private volatile SdkMeterProvider meterProvider;
    private volatile MetricExporter periodicMetrics;
    private volatile SdkLoggerProvider loggerProvider;
    private volatile Logger events;
    // The Prometheus scrape's reader and server, when OTEL_METRICS_EXPORTER names prometheus and its port was free.
    private volatile MetricReader prometheus;

    private Exporter(
            ExportSettings settings,
            Resource resource,
            ExportLog log,
            long startEpochNanos,
            Supplier<HealthReading> healthSource,
            Supplier<io.hotpath.exporter.metrics.SelfReading> selfSource) {
        this.settings = settings;
        this.log = log;
        this.health = new ExportHealth(log);
        this.resource = resource;
        this.senders =
                new ThreadPoolExecutor(0, 4, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), new DaemonThreads("otlp"));
        final InstrumentationScopeInfo scope = InstrumentationScopeInfo.builder(SCOPE)
                .setVersion(settings.agentVersion())
                .build();
        this.scope = scope;
        this.startEpochNanos = startEpochNanos;
        this.producer = new SnapshotMetricProducer(
                new SnapshotConverter(scope, settings.maxProbes(), settings.maxBuckets(), startEpochNanos),
                healthSource,
                selfSource,
                log);
        final boolean otlp = settings.mode() == ExportSettings.Mode.OTLP;
        final OtlpSettings m = settings.metrics();
        if (!otlp) {
            this.exitMetrics = LogLineExporters.metrics(log);
        } else if (m.unusable().isEmpty() && settings.otlpMetrics()) {
            // The final export gives up a little before the flush budget ends, so that its outcome is still logged
            // before the JVM halts.
            final Duration budget = settings.flushTimeout();
            final Duration exitTimeout =
                    min(m.timeout(), max(budget.multipliedBy(3).dividedBy(4), budget.minusMillis(250)));
            this.exitMetrics = new ReportingMetricExporter(
                    OtlpExporters.metrics(m, exitTimeout, OtlpExporters.exitRetryPolicy(), senders, senderLoader),
                    m,
                    health);
        } else {
            this.exitMetrics = null;
        }
        this.eventsUsable = !otlp || settings.logs().unusable().isEmpty();
    }

    /**
     * Runs the OTLP/HTTP encoder once on a made-up batch that is never sent ({@link MarshalWarmUp}), so that a final
     * export at exit does not first load and link the SDK's marshalers. A failure costs only the warm-up.
     */
    private void warmUp() {
        if (exitMetrics == null || settings.mode() != ExportSettings.Mode.OTLP) {
            return;
        }
        try {
            MarshalWarmUp.run(settings.metrics(), WarmUpBatch.of(resource, scope, startEpochNanos));
        } catch (RuntimeException | LinkageError t) {
            log.debug("the OTLP encoder warm-up failed (the first export does that work instead): " + t);
        }
    }

    /**
     * The periodic metric reader, the Prometheus scrape and the event batcher, with their threads; once, after the
     * constructor. Both metric readers sit in one meter provider and read the same producer, so a scrape and an OTLP
     * export carry the same metrics with the same attributes.
     */
    private void startPipelines() {
        final boolean otlp = settings.mode() == ExportSettings.Mode.OTLP;
        final MetricReader scrape =
                settings.prometheus().map(this::prometheusReader).orElse(null);
        if (exitMetrics != null || scrape != null) {
            final io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder meters =
                    SdkMeterProvider.builder().setResource(resource).registerMetricProducer(producer);
            if (exitMetrics != null) {
                final OtlpSettings m = settings.metrics();
                final MetricExporter periodic = otlp
                        ? new ReportingMetricExporter(
                                OtlpExporters.metrics(m, m.timeout(), RetryPolicy.getDefault(), senders, senderLoader),
                                m,
                                health)
                        : exitMetrics;
                periodicMetrics = periodic;
                meters.registerMetricReader(PeriodicMetricReader.builder(periodic)
                        .setInterval(settings.interval())
                        .setExporterTimeout(settings.exportTimeout())
                        .setExecutor(Executors.newSingleThreadScheduledExecutor(new DaemonThreads("export")))
                        .build());
            }
            if (scrape != null) {
                meters.registerMetricReader(scrape);
                prometheus = scrape;
            }
            meterProvider = meters.build();
            if (scrape != null) {
                log.info("Prometheus scrape on " + settings.prometheus().get().url());
            }
        }
        if (eventsUsable) {
            final OtlpSettings l = settings.logs();
            final LogRecordExporter exporter = otlp
                    ? new ReportingLogRecordExporter(
                            OtlpExporters.logs(l, RetryPolicy.getDefault(), senders, senderLoader), l, health)
                    : LogLineExporters.logs(log);
            final SdkLoggerProvider provider = SdkLoggerProvider.builder()
                    .setResource(resource)
                    .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter)
                            .setMaxQueueSize(EVENT_QUEUE)
                            .setScheduleDelay(Duration.ofSeconds(1))
                            .setMeterProvider(MeterProvider::noop)
                            .build())
                    .build();
            events = provider.loggerBuilder(SCOPE)
                    .setInstrumentationVersion(settings.agentVersion())
                    .build();
            loggerProvider = provider;
        }
    }

    /**
     * The SDK's Prometheus exporter: a pull reader with a small HTTP server that listens as soon as it is built. Its
     * request threads come from a daemon pool of the agent's ({@code hotpath-prometheus-*}); the JDK server's own
     * dispatcher thread inherits daemon status and thread group from this, an agent thread. A port already in use
     * costs the scrape only, in one log line.
     */
    private MetricReader prometheusReader(io.hotpath.exporter.config.PrometheusSettings p) {
        final ExecutorService requests = new ThreadPoolExecutor(
                1,
                1,
                60,
                TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(64),
                new DaemonThreads("prometheus"),
                new ThreadPoolExecutor.DiscardPolicy());
        try {
            final MetricReader reader = io.hotpath.exporter.prometheus.PrometheusScrape.reader(p, requests);
            prometheusRequests = requests;
            return reader;
        } catch (RuntimeException | LinkageError e) {
            requests.shutdownNow();
            log.warn("the Prometheus scrape could not listen on " + p.url() + " (" + e.getMessage()
                    + "); set OTEL_EXPORTER_PROMETHEUS_PORT to a free port. Other export goes on");
            return null;
        }
    }

    /**
     * Builds the export in two steps, for a caller that may need the final export before the second is done (a JVM
     * that exits within its first second). This returns once what the final export needs is ready: the snapshot
     * producer and the final export's OTLP exporter and HTTP client, so that {@link #flushAtExit} works. It then runs the
     * OTLP encoder once on a batch that is never sent (see {@link MarshalWarmUp}) and builds the periodic reader and the event batcher, the SDK's meter and logger providers and
     * their threads; until it returns, {@link #emit} drops events and {@link #flushAtExit} sends metrics only.
     *
     * @param healthSource the analyzer's health, exported as the gauges {@code hotpath.health} and
     *     {@code hotpath.health.state} at every export (null: none)
     * @param selfSource the agent's own cost, exported as the {@code hotpath.agent.*} gauges (null: none)
     * @param readyForFinalExport called with the exporter once it is ready for the final export, before the rest is
     *     built; answers whether to build the rest (false: the JVM is exiting and the final export is all it needs)
     * @return the exporter, fully started unless {@code readyForFinalExport} said not to
     */
    public static Exporter startInSteps(
            ExportSettings settings,
            Resource resource,
            ExportLog log,
            long startEpochNanos,
            Supplier<HealthReading> healthSource,
            Supplier<io.hotpath.exporter.metrics.SelfReading> selfSource,
            java.util.function.Predicate<Exporter> readyForFinalExport) {
        if (settings.mode() == ExportSettings.Mode.NONE) {
            throw new IllegalArgumentException("export mode none starts no exporter");
        }
        SdkLogBridge.install(log);
        final Exporter e = new Exporter(settings, resource, log, startEpochNanos, healthSource, selfSource);
        if (readyForFinalExport.test(e)) {
            e.warmUp();
            e.startPipelines();
        }
        return e;
    }

    /**
     * Builds and starts the export. Never throws for configuration the user gave (bad values were already reported and
     * replaced by {@code OtelEnvironment}); an unexpected SDK failure propagates to the caller, which logs it once.
     *
     * @param settings resolved settings; mode must be OTLP or LOGGING
     * @param resource the resource (see {@link AgentResource})
     * @param log where the exporter's own messages go
     * @param startEpochNanos start time of every cumulative series: when the agent started
     */
    public static Exporter start(ExportSettings settings, Resource resource, ExportLog log, long startEpochNanos) {
        return startInSteps(settings, resource, log, startEpochNanos, null, null, e -> true);
    }

    /** Ships one event as an OTLP log record; only enqueues. Dropped if log export is not running. */
    public void emit(Event event) {
        final Logger events = this.events;
        if (events == null) {
            return;
        }
        final AttributesBuilder attributes = io.opentelemetry.api.common.Attributes.builder();
        for (Map.Entry<String, Object> e : event.attributes().entrySet()) {
            final Object v = e.getValue();
            if (v instanceof String s) {
                attributes.put(e.getKey(), s);
            } else if (v instanceof Long n) {
                attributes.put(e.getKey(), n);
            } else if (v instanceof Double d) {
                attributes.put(e.getKey(), d);
            } else if (v instanceof Boolean b) {
                attributes.put(e.getKey(), b);
            }
        }
        final io.opentelemetry.api.logs.Severity severity = severity(event.severity());
        events.logRecordBuilder()
                .setEventName(event.name())
                .setTimestamp(event.epochNanos(), TimeUnit.NANOSECONDS)
                .setSeverity(severity)
                .setSeverityText(severity.name())
                .setBody(event.body())
                .setAllAttributes(attributes.build())
                .emit();
    }

    /**
     * The final export at JVM exit: one fresh snapshot, then pending events, all within {@code timeout}. Pending events
     * are skipped when the receiver is not reachable, so an absent receiver costs the exit nothing.
     *
     * @return whether the final metrics were delivered (true when there was nothing to deliver)
     */
    public boolean flushAtExit(Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        boolean delivered = true;
        if (exitMetrics != null && !timeout.isZero()) {
            final Collection<MetricData> data = producer.produce(resource);
            final CompletableResultCode result = exitExporter().export(data);
            result.join(remaining(deadline), TimeUnit.NANOSECONDS);
            delivered = result.isSuccess();
            if (!result.isDone() && settings.mode() == ExportSettings.Mode.OTLP) {
                final String line = "the final OTLP export to "
                        + settings.metrics().displayEndpoint()
                        + " timed out after the " + timeout.toMillis() + " ms of hotpath.export.flush.timeout; the JVM"
                        + " exits without it (the receiver keeps the previous export's totals)";
                if (quiet()) {
                    log.info(line);
                } else {
                    log.warn(line);
                }
            }
        }
        final boolean reachable = settings.mode() == ExportSettings.Mode.LOGGING || !health.lastFailedToConnect();
        final SdkLoggerProvider loggerProvider = this.loggerProvider;
        if (loggerProvider != null && reachable && remaining(deadline) > 0) {
            loggerProvider.forceFlush().join(remaining(deadline), TimeUnit.NANOSECONDS);
        }
        return delivered;
    }

    /**
     * The exporter for the final export. While the receiver answers and no periodic export is in progress, the
     * periodic exporter itself: its connection is open (a TLS handshake under load can take longer than the whole
     * flush budget). Over gRPC even while one is in progress: the OkHttp sender's one HTTP/2 connection carries both
     * calls as separate streams, where a new client would first have to connect and shake hands. Otherwise the
     * separate exit exporter, which a stuck periodic export cannot hold up and which does not retry against a receiver
     * that refuses connections.
     */
    private MetricExporter exitExporter() {
        if (this.periodicMetrics instanceof ReportingMetricExporter periodic
                && (periodic.idle() || settings.metrics().protocol() == Protocol.GRPC)
                && health.anySuccess()
                && !health.lastFailedToConnect()) {
            return periodic;
        }
        return exitMetrics;
    }

    /**
     * Whether export problems are reported quietly (INFO, not WARN): nobody configured an endpoint and nothing was ever
     * delivered to the default one, the normal state of someone trying the agent without a collector.
     */
    public boolean quiet() {
        return settings.metrics().defaultEndpoint() && !health.anySuccess();
    }

    /** Stops everything, waiting at most {@code timeout}; for tests and benchmarks (the agent only flushes at exit). */
    public void shutdown(Duration timeout) {
        final Thread stopper = AgentThreads.newThread(
                () -> {
                    final SdkMeterProvider meters = meterProvider;
                    if (meters != null) {
                        meters.shutdown().join(10, TimeUnit.SECONDS);
                    }
                    final SdkLoggerProvider loggers = loggerProvider;
                    if (loggers != null) {
                        loggers.shutdown().join(10, TimeUnit.SECONDS);
                    }
                    // The SDK's scrape server stops its request pool but does not wait for the pool's thread, which
                    // could outlive this call by a moment: a stopped exporter leaves no thread of its own behind.
                    final ExecutorService requests = prometheusRequests;
                    if (requests != null) {
                        requests.shutdownNow();
                        try {
                            requests.awaitTermination(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                },
                "hotpath-export-stop");
        stopper.start();
        try {
            stopper.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.shutdownNow();
        senderLoader.close();
    }

    /** The producer, for benchmarks: one call is one export interval's conversion work. */
    public SnapshotMetricProducer producer() {
        return producer;
    }

    /** The resource every metric and event carries. */
    public Resource resource() {
        return resource;
    }

    /** One line describing where metrics and events go, for the agent's start-up log. */
    public String describe() {
        if (settings.mode() == ExportSettings.Mode.LOGGING) {
            return "export: metrics every " + settings.interval().toSeconds() + " s and events to the agent log";
        }
        final OtlpSettings m = settings.metrics();
        final OtlpSettings l = settings.logs();
        return "export: OTLP " + m.protocol().label() + " metrics to "
                + (exitMetrics == null
                        ? (settings.otlpMetrics() ? "nowhere (see above)" : "nowhere (OTEL_METRICS_EXPORTER)")
                        : m.displayEndpoint() + " every " + settings.interval().toMillis() / 1000.0 + " s")
                + ", events to " + (eventsUsable ? l.displayEndpoint() : "nowhere (see above)")
                + " (service.name="
                + resource.getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")) + ")";
    }

    ExportLog log() {
        return log;
    }

    /** How many JDK HTTP clients the OTLP exporters share; for tests. */
    int httpClients() {
        return senderLoader.httpClients();
    }

    private static io.opentelemetry.api.logs.Severity severity(Severity s) {
        return switch (s) {
            case INFO -> io.opentelemetry.api.logs.Severity.INFO;
            case WARNING -> io.opentelemetry.api.logs.Severity.WARN;
            case CRITICAL -> io.opentelemetry.api.logs.Severity.ERROR;
        };
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
