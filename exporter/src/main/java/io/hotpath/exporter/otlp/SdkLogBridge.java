package io.hotpath.exporter.otlp;

import io.hotpath.exporter.ExportLog;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes the OpenTelemetry SDK's own {@code java.util.logging} output into the agent's log, quietly.
 *
 * <p>Inside the agent jar the SDK is relocated, so it logs under {@code io.hotpath.shaded.io.opentelemetry.*}; those
 * loggers are cut off from the application's handlers ({@code useParentHandlers=false}) and handed to this bridge. The
 * SDK reports every failed export at WARNING or SEVERE; {@link ExportHealth} already turns those into one line a
 * minute, so they go to the debug level here. Anything else at WARNING or above becomes a WARN line, at most one a
 * minute per logger; below WARNING only at {@code hotpath.log.level=debug}. Exceptions print as one line, never a
 * stack trace.
 */
public final class SdkLogBridge extends Handler {
    /** Held strongly: {@code java.util.logging} keeps loggers weakly and would drop the configuration with it. */
    private static volatile Logger installed;

    private final ExportLog log;
    private final RateLimiter limiter = new RateLimiter(TimeUnit.MINUTES.toNanos(1), System::nanoTime);
    private final SimpleFormatter formatter = new SimpleFormatter();

    private SdkLogBridge(ExportLog log) {
        this.log = log;
    }

    /** Takes over the SDK's root logger (relocated or not); idempotent per JVM. */
    public static synchronized void install(ExportLog log) {
        final String root = sdkRootLogger();
        final Logger logger = Logger.getLogger(root);
        logger.setUseParentHandlers(false);
        for (Handler h : logger.getHandlers()) {
            if (h instanceof SdkLogBridge) {
                logger.removeHandler(h);
            }
        }
        logger.setLevel(log.debugEnabled() ? Level.FINE : Level.WARNING);
        logger.addHandler(new SdkLogBridge(log));
        installed = logger;
    }

    /** {@code io.hotpath.shaded.io.opentelemetry} in the agent jar, {@code io.opentelemetry} in tests. */
    static String sdkRootLogger() {
        final String name = MetricExporter.class.getName();
        final String marker = "io.opentelemetry";
        return name.substring(0, name.indexOf(marker) + marker.length());
    }

    /** The logger this bridge is installed on, or null. */
    static Logger installed() {
        return installed;
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        String message = formatter.formatMessage(record);
        if (record.getThrown() != null) {
            message += ": " + record.getThrown();
        }
        final boolean severe = record.getLevel().intValue() >= Level.WARNING.intValue();
        if (severe && !isExportFailure(message)) {
            final long suppressed = limiter.acquire(record.getLoggerName());
            if (suppressed >= 0) {
                log.warn("OpenTelemetry SDK: " + message
                        + (suppressed > 0 ? " (" + suppressed + " similar messages held back)" : ""));
            }
        } else if (log.debugEnabled()) {
            log.debug("OpenTelemetry SDK: " + message);
        }
    }

    static boolean isExportFailure(String message) {
        return message.startsWith("Failed to export")
                || message.startsWith("Exporter failed")
                || message.startsWith("Exporter timed out")
                || message.startsWith("Exporter busy");
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
