package io.hotpath.it.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A test OTLP/HTTP receiver: {@code POST /v1/metrics}, {@code /v1/logs} and {@code /v1/traces} with protobuf bodies
 * (gzip or not),
 * decoded with opentelemetry-proto. It listens on 127.0.0.1 on a port chosen once, so it can be stopped and started
 * again where the agent expects it, and it can be told to answer slowly or with errors. Refused requests are counted,
 * not stored.
 */
public final class HttpOtlpReceiver implements OtlpReceiver {
    /** How the receiver answers. */
    public enum Mode {
        /** 200 with an empty response message; the request is stored. */
        OK,
        /** 503 Service Unavailable (retryable). */
        UNAVAILABLE,
        /** 500 Internal Server Error (not retryable). */
        SERVER_ERROR,
        /** 429 Too Many Requests with Retry-After: 1 (retryable). */
        TOO_MANY_REQUESTS,
        /**
         * Holds the request 30 s (even if the mode changes meanwhile; stopping the receiver releases it), then closes
         * the exchange without storing it: the client has long given up.
         */
        SLOW
    }

    private final int port;
    private final Received received = new Received();
    private final List<String> headerLines = new CopyOnWriteArrayList<>();
    private final Set<String> contentEncodings = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger slowArrived = new AtomicInteger();
    private volatile Mode mode = Mode.OK;
    private volatile CountDownLatch slowRelease = new CountDownLatch(1);
    private HttpServer server;
    private ExecutorService executor;

    private HttpOtlpReceiver(int port) {
        this.port = port;
    }

    /** A receiver on a free loopback port, not yet listening. */
    public static HttpOtlpReceiver onFreePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new HttpOtlpReceiver(s.getLocalPort());
        }
    }

    /** A receiver on this loopback port, not yet listening (for a receiver process restarted where the agent expects it). */
    public static HttpOtlpReceiver onPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range: allowed 1 to 65535");
        }
        return new HttpOtlpReceiver(port);
    }

    /** Starts listening (again). */
    @Override
    public synchronized HttpOtlpReceiver start() throws IOException {
        if (server != null) {
            return this;
        }
        slowRelease = new CountDownLatch(1);
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
                break;
            } catch (IOException e) { // the old socket may linger for a moment after stop()
                last = e;
                sleep(100);
            }
        }
        if (server == null) {
            throw last;
        }
        executor = Executors.newCachedThreadPool(r -> {
            final Thread t = new Thread(r, "otlp-receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/v1/metrics", this::metrics);
        server.createContext("/v1/logs", this::logs);
        server.createContext("/v1/traces", this::traces);
        server.start();
        return this;
    }

    /** Stops listening; connections in progress are dropped, slow requests released unanswered. */
    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        slowRelease.countDown();
        server.stop(0);
        executor.shutdownNow();
        server = null;
    }

    /** Sets how the receiver answers from now on. */
    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** The base URL for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public Received received() {
        return received;
    }

    /** Requests answered with an error (or, for slow ones, not answered in time to count). */
    public int refused() {
        return refused.get();
    }

    /** Metrics requests that arrived while the receiver was slow. */
    public int slowArrived() {
        return slowArrived.get();
    }

    /** Every request header seen, as {@code name: value} lines. */
    public List<String> headerLines() {
        return List.copyOf(headerLines);
    }

    /** Content-Encoding values seen. */
    public Set<String> contentEncodings() {
        return Set.copyOf(contentEncodings);
    }

    private void metrics(HttpExchange exchange) throws IOException {
        handle(exchange, "metrics");
    }

    private void logs(HttpExchange exchange) throws IOException {
        handle(exchange, "logs");
    }

    private void traces(HttpExchange exchange) throws IOException {
        handle(exchange, "traces");
    }

    private void handle(HttpExchange exchange, String signal) throws IOException {
        final boolean isMetrics = signal.equals("metrics");
        try (exchange) {
            exchange.getRequestHeaders().forEach((k, vs) -> vs.forEach(v -> headerLines.add(k + ": " + v)));
            final byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
            }
            final String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            contentEncodings.add(encoding == null ? "identity" : encoding);
            final Mode m = mode;
            switch (m) {
                case UNAVAILABLE -> {
                    refuse(exchange, 503);
                    return;
                }
                case SERVER_ERROR -> {
                    refuse(exchange, 500);
                    return;
                }
                case TOO_MANY_REQUESTS -> {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    refuse(exchange, 429);
                    return;
                }
                case SLOW -> {
                    if (isMetrics) {
                        slowArrived.incrementAndGet();
                    }
                    refused.incrementAndGet(); // never delivered: the client gives up long before the answer
                    try {
                        slowRelease.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                }
                case OK -> {
                    // below
                }
            }
            final byte[] body = "gzip".equalsIgnoreCase(encoding) ? gunzip(raw) : raw;
            final byte[] response;
            if (isMetrics) {
                received.add(ExportMetricsServiceRequest.parseFrom(body));
                response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
            } else if (signal.equals("traces")) {
                received.add(ExportTraceServiceRequest.parseFrom(body));
                response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            } else {
                received.add(ExportLogsServiceRequest.parseFrom(body));
                response = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response);
                }
            }
        }
    }

    private void refuse(HttpExchange exchange, int status) throws IOException {
        refused.incrementAndGet();
        exchange.sendResponseHeaders(status, -1);
    }

    private static byte[] gunzip(byte[] raw) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
