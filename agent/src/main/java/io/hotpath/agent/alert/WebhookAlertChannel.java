package io.hotpath.agent.alert;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.bootstrap.ipc.AgentThreads;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alerts as HTTP POSTs of their JSON ({@link Alert#toJson()}, {@code Content-Type: application/json}) to one URL.
 * {@link #send} only offers the alert to a bounded queue; one daemon thread, {@code hotpath-webhook}, started on the
 * first alert, posts them in order with {@link HttpClient} (its own work also on daemon threads), retrying a failure
 * (an exception or a status other than 2xx) with pauses of 500 ms, 1 s, 2 s, .... When the queue is full the alert is
 * dropped and counted, so a dead endpoint never holds the analyzer or the JVM's exit.
 */
final class WebhookAlertChannel implements AlertChannel {
    private static final long FIRST_RETRY_PAUSE_MILLIS = 500;

    private final URI uri;
    private final Duration timeout;
    private final int retries;
    private final BlockingQueue<Alert> queue;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private Thread sender;
    private volatile boolean closed;
    /** The sender's client, for {@link #close}; written by the sender thread. */
    private volatile HttpClient client;

    /**
     * @param url http or https URL
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
     */
    public WebhookAlertChannel(String url, Duration timeout, int retries, int capacity) {
        // The messages below never quote the URL: it may carry credentials (URISyntaxException's own message does).
        try {
            this.uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getReason() + " at index " + e.getIndex());
        }
        if (uri.getScheme() == null
                || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("expected an http or https URL");
        }
        if (uri.getHost() == null) {
            // The JDK's client would refuse it on the first alert, with the whole URL in its message.
            throw new IllegalArgumentException("expected an http or https URL with a host name or address");
        }
        this.timeout = timeout;
        this.retries = retries;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void send(Alert alert) {
        if (!queue.offer(alert)) {
            failed.incrementAndGet();
            AgentLog.once(
                    AgentLog.Level.WARN,
                    "webhook:full",
                    "alert webhook queue is full; alerts are being dropped (is " + uri.getHost() + " reachable?)");
            return;
        }
        startSender();
    }

    @Override
    public long failed() {
        return failed.get();
    }

    /** Alerts the endpoint accepted. */
    public long delivered() {
        return delivered.get();
    }

    private synchronized void startSender() {
        if (sender == null && !closed) {
            // In the agent's thread group, as are the HTTP client's threads it starts: the webhook's connections are
            // the agent's own and stay out of the application's socket figures.
            sender = AgentThreads.newThread(this::run, "hotpath-webhook");
            sender.start();
        }
    }

    private void run() {
        final Executor daemon = task -> {
            final Thread t = new Thread(task, "hotpath-webhook-http");
            t.setDaemon(true);
            t.start();
        };
        final HttpClient client =
                HttpClient.newBuilder().connectTimeout(timeout).executor(daemon).build();
        this.client = client;
        while (!closed) {
            final Alert alert;
            try {
                alert = queue.poll(1, TimeUnit.HOURS);
            } catch (InterruptedException e) {
                return;
            }
            if (alert != null && !post(client, alert)) {
                failed.incrementAndGet();
            }
        }
    }

    /**
     * Ends the sender thread (interrupting a post or a retry pause) and the HTTP client's own threads. The JDK's client
     * has a selector thread per client: on JDK 21 and later {@code shutdownNow()} ends it at once (called reflectively:
     * the agent compiles for 17); on JDK 17 the client has no such method and its selector thread ends by itself once
     * the client is unreachable and collected, which dropping the last reference here allows.
     */
    @Override
    public void close(Duration wait) {
        final Thread t;
        synchronized (this) {
            closed = true;
            t = sender;
            sender = null;
        }
        queue.clear();
        if (t != null) {
            t.interrupt();
            try {
                t.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        final HttpClient c = client;
        client = null;
        if (c != null) {
            try {
                HttpClient.class.getMethod("shutdownNow").invoke(c);
                HttpClient.class.getMethod("awaitTermination", Duration.class).invoke(c, wait);
            } catch (NoSuchMethodException e) {
                // JDK 17: see above.
            } catch (ReflectiveOperationException | RuntimeException e) {
                AgentLog.once(AgentLog.Level.DEBUG, "webhook:close", "alert webhook client did not shut down: " + e);
            }
        }
    }

    private boolean post(HttpClient client, Alert alert) {
        final HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(alert.toJson(), StandardCharsets.UTF_8))
                    .build();
        } catch (IllegalArgumentException e) { // its message holds the URL: say which, redacted
            AgentLog.once(
                    AgentLog.Level.WARN,
                    "webhook:refused",
                    "alert webhook " + RedactedUrl.of(uri.toString()) + " is not usable by the HTTP client;"
                            + " alerts to it are only counted");
            return false;
        }
        long pause = FIRST_RETRY_PAUSE_MILLIS;
        String problem = "";
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    return false;
                }
                pause = Math.min(pause * 2, 60_000);
            }
            try {
                final HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    delivered.incrementAndGet();
                    return true;
                }
                problem = "HTTP " + response.statusCode();
            } catch (InterruptedException e) {
                return false;
            } catch (Exception e) {
                // The class only: some of the JDK client's messages quote the request's URI.
                problem = e.getClass().getName();
            }
        }
        AgentLog.once(
                AgentLog.Level.WARN,
                "webhook:failed",
                "alert webhook POST to " + RedactedUrl.of(uri.toString()) + " failed after " + (retries + 1)
                        + " attempts (" + problem
                        + "); later failures are only counted");
        return false;
    }
}
