package io.hotpath.agent.telemetry;

import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.config.Config;
import io.hotpath.agent.config.Parsers;
import io.hotpath.agent.config.Settings;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.bootstrap.ipc.AgentThreads;
import io.hotpath.exporter.AgentResource;
import io.hotpath.exporter.Events;
import io.hotpath.exporter.ExportSettings;
import io.hotpath.exporter.Exporter;
import io.hotpath.exporter.config.OtelEnvironment;
import io.hotpath.exporter.metrics.HealthReading;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Starts and stops OTLP export for the agent. {@link #start} returns at once: the SDK (a few hundred classes) and the
 * resource (which may need a slow host-name lookup) are built on a daemon thread, so the application's start-up does
 * not wait for them. Events emitted meanwhile wait in {@link Events}' small buffer.
 *
 * <p>At exit the agent's shutdown hook calls {@link #beginExitFlush} before its other exit work and {@link
 * #awaitExitFlush} after it, so the final export runs alongside the final dump and neither adds to the other; the JVM
 * waits for it at most {@code hotpath.export.flush.timeout} (default 2 s).
 */
public final class AgentExport {
    private static final Object LOCK = new Object();

    private static Thread initThread;
    /** Open once the exporter can make the final export (or failed to start): what the exit waits for. */
    private static final java.util.concurrent.CountDownLatch READY = new java.util.concurrent.CountDownLatch(1);

    private static volatile boolean exiting;

    private static volatile Exporter exporter;
    private static Duration flushTimeout = Duration.ZERO;
    private static Thread exitThread;
    private static long exitDeadline;

    private AgentExport() {}

    /**
     * Reads the export settings and starts building the export in the background; never throws. Called as soon as the
     * instrumentation is installed (the exporter's own connections must find the socket advice gate in place), so
     * that the build overlaps the rest of premain and the application's own start.
     */
    public static void start(Config config, String version, long startNanos) {
        try {
            final ExportSettings.Mode mode = config.get(Settings.EXPORT_EXPORTER);
            if (mode == ExportSettings.Mode.NONE) {
                Events.attach(event -> {});
                AgentLog.debug("export off (hotpath.export.exporter=none)");
                return;
            }
            final OtelEnvironment.Result otel = OtelEnvironment.read();
            for (String problem : otel.problems()) {
                AgentLog.warn(problem);
            }
            final ExportSettings settings = ExportSettings.of(
                    mode,
                    otel,
                    config.get(Settings.EXPORT_PROBES_MAX),
                    config.get(Settings.EXPORT_HISTOGRAM_MAX_BUCKETS),
                    config.get(Settings.EXPORT_FLUSH_TIMEOUT),
                    version);
            final Instant now = Instant.now();
            final long startEpochNanos =
                    now.getEpochSecond() * 1_000_000_000L + now.getNano() - Math.max(0, System.nanoTime() - startNanos);
            // The exporter's HTTP client is built on this thread: it and every thread it starts (the JDK client's
            // selector and workers) belong to the agent's thread group, so the export's own connections are not
            // counted as the application's (AgentThreads).
            final Thread t = AgentThreads.newThread(() -> init(settings, startEpochNanos), "hotpath-export-init");
            synchronized (LOCK) {
                flushTimeout = settings.flushTimeout();
                initThread = t;
            }
            t.start();
        } catch (Throwable t) {
            AgentLog.error("OTLP export failed to start; measurement, dump and summary go on without it: " + t);
            Events.attach(event -> {});
        }
    }

    /** Emits the agent's start event, once premain is done; it waits in {@link Events}' buffer until export runs. */
    public static void started(String version, boolean attached, List<String> instrumenting, long startNanos) {
        try {
            AgentEvents.started(version, attached, instrumenting, (System.nanoTime() - startNanos) / 1e6);
        } catch (Throwable t) {
            AgentLog.error("the start event was not emitted: " + t);
        }
    }

    private static void init(ExportSettings settings, long startEpochNanos) {
        try {
            final Resource resource = AgentResource.build(
                    settings, System.getProperty("sun.java.command", ""), AgentResource::localHostName);
            // The final export's path is built first and published at once: a JVM that exits meanwhile waits only for
            // it, not for the periodic reader and event batcher built after it.
            final Exporter e = Exporter.startInSteps(
                    settings,
                    resource,
                    new AgentLogAdapter(),
                    startEpochNanos,
                    AgentExport::health,
                    AgentExport::self,
                    ready -> {
                        exporter = ready;
                        READY.countDown();
                        // Once the JVM exits, the reader and the batcher would only compete with the final export.
                        return !exiting;
                    });
            Events.attach(e::emit);
            AgentLog.info(e.describe());
        } catch (Throwable t) {
            AgentLog.error("OTLP export failed to start; measurement, dump and summary go on without it: " + t);
            Events.attach(event -> {});
        } finally {
            READY.countDown();
            io.hotpath.agent.runtime.SelfCost.threadEnding();
        }
    }

    /**
     * The analyzer's latest health for the exporter's {@code hotpath.health} gauges, or null when the analyzer is off
     * or has not ticked yet (then no health points are exported rather than a made-up "healthy").
     */
    static HealthReading health() {
        final AnalysisView v = AnalysisView.latest();
        if (v.epochMillis() == 0) {
            return null;
        }
        return new HealthReading(v.health(), v.state().label(), v.probeHealth());
    }

    /** The agent's own cost for the exporter's {@code hotpath.agent.*} gauges, or null before its first reading. */
    static io.hotpath.exporter.metrics.SelfReading self() {
        final io.hotpath.agent.runtime.SelfCost.View v = io.hotpath.agent.runtime.SelfCost.latest();
        return v == null
                ? null
                : new io.hotpath.exporter.metrics.SelfReading(
                        v.cpuSeconds(), v.allocatedBytes(), v.recordingSeconds(), v.backgroundCores());
    }

    /** The running exporter, or null (not started, off, or still starting). */
    public static Exporter exporter() {
        return exporter;
    }

    /**
     * Stops export for good while the JVM runs on (the attach CLI's {@code stop}): one final export within {@code
     * hotpath.export.flush.timeout}, then the SDK's readers, the Prometheus server, the event batcher and their
     * threads are shut down. Events emitted later are dropped.
     */
    public static void stop() {
        final Exporter e;
        final Duration timeout;
        synchronized (LOCK) {
            e = exporter;
            timeout = flushTimeout;
            initThread = null; // nothing left for an exit flush to wait for
        }
        exporter = null;
        Events.attach(event -> {});
        if (e != null) {
            try {
                e.flushAtExit(timeout);
            } finally {
                e.shutdown(Duration.ofSeconds(10));
            }
        }
    }

    /** Starts the final export on its own daemon thread; called first in the agent's shutdown hook. */
    public static void beginExitFlush() {
        exiting = true;
        final Thread init;
        final Duration timeout;
        synchronized (LOCK) {
            if (initThread == null || exitThread != null) {
                return;
            }
            init = initThread;
            timeout = flushTimeout;
            exitDeadline = System.nanoTime() + timeout.toNanos();
            exitThread = AgentThreads.newThread(
                    () -> {
                        try {
                            // A program that exits while the SDK is still being built (a command-line tool, a
                            // batch job) waits, within the same budget, for the part the final export needs (not
                            // for the periodic reader and event batcher): every run with export on sends its final
                            // figures.
                            Exporter e = exporter;
                            if (e == null && init.isAlive()) {
                                final long waitFrom = System.nanoTime();
                                READY.await(Math.max(1, remainingMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
                                e = exporter;
                                AgentLog.debug(
                                        "the final OTLP export waited " + (System.nanoTime() - waitFrom) / 1_000_000
                                                + " ms for the exporter to be built");
                            }
                            if (e != null && remainingMillis() > 0) {
                                e.flushAtExit(Duration.ofMillis(remainingMillis()));
                            }
                        } catch (Throwable t) {
                            AgentLog.debug("final export failed: " + t);
                        }
                    },
                    "hotpath-export-exit");
        }
        if (timeout.isZero()) {
            return;
        }
        exitThread.start();
    }

    /** Waits for the final export, at most until {@code hotpath.export.flush.timeout} after it began. */
    public static void awaitExitFlush() {
        final Thread t;
        final Duration timeout;
        synchronized (LOCK) {
            t = exitThread;
            timeout = flushTimeout;
        }
        if (t == null || !t.isAlive()) {
            return;
        }
        try {
            t.join(Math.max(1, remainingMillis()) + 50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            final Exporter e = exporter;
            AgentLog.log(
                    e == null || e.quiet() ? AgentLog.Level.INFO : AgentLog.Level.WARN,
                    "the final OTLP export did not finish within hotpath.export.flush.timeout="
                            + Parsers.format(timeout) + "; the JVM exits without it (the receiver has the previous"
                            + " interval's totals)");
        }
    }

    private static long remainingMillis() {
        synchronized (LOCK) {
            return Math.max(0, (exitDeadline - System.nanoTime()) / 1_000_000);
        }
    }
}
