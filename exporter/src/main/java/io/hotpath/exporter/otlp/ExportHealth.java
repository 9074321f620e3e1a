package io.hotpath.exporter.otlp;

import io.hotpath.exporter.ExportLog;
import io.hotpath.exporter.config.OtlpSettings;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turns export outcomes into at most one log line a minute. While the receiver is down, slow or refusing, every export
 * fails; the user needs to know once, with the reason, not once per interval. When exports succeed again after a
 * reported failure, one line says so.
 *
 * <p>Nothing configured and nothing ever delivered to the default endpoint is the normal state of someone trying the
 * agent locally, so that case is one INFO line for the life of the process; a failure towards an endpoint the user
 * configured, or towards the default one after it once worked, is a WARN. Header values
 * never appear: reasons are built from status codes and exception types.
 */
public final class ExportHealth {
    /** One failure line per this period. */
    public static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    private final ExportLog log;
    private final LongSupplier nanoClock;
    private final RateLimiter limiter;

    private long failuresSinceSuccess;
    private long firstFailureNanos;
    private boolean failureReported;
    private boolean lastFailedToConnect;
    private boolean anySuccess;
    /** Whether the quiet "no receiver" line was said: it is said once per process, later failures are debug. */
    private boolean quietSaid;

    /** Reports through {@code log}, timed by {@link System#nanoTime()}. */
    public ExportHealth(ExportLog log) {
        this(log, System::nanoTime);
    }

    /** Reports through {@code log}, timed by {@code nanoClock}; for tests. */
    public ExportHealth(ExportLog log, LongSupplier nanoClock) {
        this.log = log;
        this.nanoClock = nanoClock;
        this.limiter = new RateLimiter(REPORT_EVERY.toNanos(), nanoClock);
    }

    /** An export to {@code target} succeeded. */
    public void success(OtlpSettings target) {
        final String line;
        synchronized (this) {
            anySuccess = true;
            lastFailedToConnect = false;
            line = failureReported
                    ? "OTLP export to " + target.displayEndpoint() + " works again after " + failuresSinceSuccess
                            + " failed export" + (failuresSinceSuccess == 1 ? "" : "s") + " over "
                            + TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong() - firstFailureNanos)
                            + " s; the cumulative totals it sent are complete"
                    : null;
            failuresSinceSuccess = 0;
            failureReported = false;
        }
        if (line != null) {
            log.info(line);
        }
    }

    /** An export to {@code target} failed with {@code cause} (may be null). */
    public void failure(OtlpSettings target, Throwable cause) {
        final boolean refused = isConnectFailure(cause);
        final long suppressed;
        final boolean quiet;
        synchronized (this) {
            // Nothing configured and nothing ever delivered: most likely no collector at all, so say it quietly.
            quiet = target.defaultEndpoint() && !anySuccess;
            if (failuresSinceSuccess++ == 0) {
                firstFailureNanos = nanoClock.getAsLong();
            }
            lastFailedToConnect = refused;
            suppressed = quiet && quietSaid ? -1 : limiter.acquire("export");
            if (quiet && suppressed >= 0) {
                quietSaid = true;
            }
            if (suppressed >= 0) {
                failureReported = true;
            }
        }
        if (suppressed < 0) {
            if (log.debugEnabled()) {
                log.debug("OTLP " + target.signal() + " export to " + target.displayEndpoint() + " failed: "
                        + reason(cause));
            }
            return;
        }
        final String more = suppressed > 0 ? " (" + suppressed + " more failed exports since the last message)" : "";
        if (quiet) {
            log.info("no OTLP receiver at " + target.displayEndpoint() + " (" + reason(cause) + ")" + more
                    + "; hotpath keeps trying each interval. Set OTEL_EXPORTER_OTLP_ENDPOINT to send elsewhere,"
                    + " or hotpath.export.exporter=none to stop");
        } else {
            log.warn("OTLP " + target.signal() + " export to " + target.displayEndpoint() + " failed: "
                    + reason(cause) + more
                    + (target.signal().equals("metrics")
                            ? "; retrying each interval, and since totals are cumulative nothing is lost once the"
                                    + " receiver accepts them"
                            : "; the events of that batch are dropped, later ones go out once the receiver accepts"
                                    + " them")
                    + " (at most one such message a minute)");
        }
    }

    /**
     * Runs one export through {@code send} and reports its outcome to this health when it completes; an exception
     * {@code send} throws is a failed export, returned as such rather than thrown.
     */
    public CompletableResultCode track(OtlpSettings target, Supplier<CompletableResultCode> send) {
        final CompletableResultCode result;
        try {
            result = send.get();
        } catch (RuntimeException e) {
            failure(target, e);
            return CompletableResultCode.ofExceptionalFailure(e);
        }
        result.whenComplete(() -> {
            if (result.isSuccess()) {
                success(target);
            } else {
                failure(target, result.getFailureThrowable());
            }
        });
        return result;
    }

    /** Whether the latest outcome was a failure to connect at all (nothing listening, host unreachable). */
    public synchronized boolean lastFailedToConnect() {
        return lastFailedToConnect;
    }

    /** Whether any export ever succeeded. */
    public synchronized boolean anySuccess() {
        return anySuccess;
    }

    /** A short reason: {@code HTTP 503}, {@code gRPC UNAVAILABLE}, {@code connection refused}, {@code timed out}. */
    public static String reason(Throwable cause) {
        if (cause instanceof FailedExportException.HttpExportException h) {
            return h.failedWithResponse() ? "HTTP " + h.getResponse().getStatusCode() : describe(h.getCause());
        }
        if (cause instanceof FailedExportException.GrpcExportException g) {
            if (g.failedWithResponse()) {
                final String d = g.getResponse().getStatusDescription();
                return "gRPC " + g.getResponse().getStatusCode() + (d == null || d.isBlank() ? "" : " (" + d + ")");
            }
            return describe(g.getCause());
        }
        return describe(cause);
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "no response in time";
        }
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        if (t instanceof HttpConnectTimeoutException || isOkHttpConnectTimeout(t)) {
            return "connect timed out";
        }
        if (t instanceof HttpTimeoutException
                || t instanceof SocketTimeoutException
                || (t instanceof InterruptedIOException && "timeout".equals(t.getMessage()))) {
            return "timed out"; // the JDK client's, or OkHttp's (a read, or the whole call)
        }
        final String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    static boolean isConnectFailure(Throwable cause) {
        Throwable t = cause;
        for (int depth = 0; t != null && depth < 5; depth++, t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof HttpConnectTimeoutException
                    || isOkHttpConnectTimeout(t)) {
                return true;
            }
        }
        return false;
    }

    /** OkHttp (the gRPC sender) reports a connect timeout as a {@code SocketTimeoutException} that says so. */
    private static boolean isOkHttpConnectTimeout(Throwable t) {
        return t instanceof SocketTimeoutException
                && t.getMessage() != null
                && t.getMessage().toLowerCase(java.util.Locale.ROOT).startsWith("connect timed out");
    }
}
