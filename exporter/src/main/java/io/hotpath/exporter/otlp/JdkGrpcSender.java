package io.hotpath.exporter.otlp;

import io.hotpath.exporter.otlp.h2c.H2cClient;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A gRPC unary-call sender without grpc-java, OkHttp or Netty in the agent jar: over {@code https://} on the JDK's
 * {@link HttpClient}, over cleartext {@code http://} on {@link H2cClient}, hotpath's own HTTP/2 client with prior
 * knowledge. The OpenTelemetry SDK 1.68 has no JDK gRPC sender of its own ({@code opentelemetry-exporter-sender-jdk}
 * only provides HTTP), and the JDK client reaches cleartext HTTP/2 only through an HTTP/1.1 {@code Upgrade: h2c}
 * request, which gRPC servers do not accept.
 *
 * <p>Both transports share the rest: the SDK's TLS settings for https (trusted certificates, client certificate), gzip,
 * headers, {@code grpc-timeout} and the retry policy (retryable gRPC codes and I/O errors, exponential backoff with
 * jitter, all within the timeout).
 *
 * <p>Reading the status: over h2c {@code grpc-status} comes from the trailers, or from the headers of a trailers-only
 * response. The JDK client does not expose HTTP/2 trailers, so over https errors are read from trailers-only responses
 * and a {@code 200} whose body holds a complete length-prefixed message is a success. A response without a status is
 * {@code UNKNOWN}. HTTP errors map to gRPC codes as the gRPC spec says (429, 502, 503, 504: {@code UNAVAILABLE}).
 */
final class JdkGrpcSender implements GrpcSender {
    private static final Set<Integer> RETRYABLE_CODES = Set.of(
            GrpcStatusCode.CANCELLED.getValue(),
            GrpcStatusCode.DEADLINE_EXCEEDED.getValue(),
            GrpcStatusCode.RESOURCE_EXHAUSTED.getValue(),
            GrpcStatusCode.ABORTED.getValue(),
            GrpcStatusCode.OUT_OF_RANGE.getValue(),
            GrpcStatusCode.UNAVAILABLE.getValue(),
            GrpcStatusCode.DATA_LOSS.getValue());

    /** Headers HTTP/2 forbids (RFC 9113 8.2.2), or that this sender sets itself. */
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "transfer-encoding",
            "upgrade",
            "host",
            "te",
            "content-type",
            "grpc-timeout",
            "grpc-encoding");

    /** Over https; null over cleartext. */
    private final HttpClient client;
    /** Over cleartext http; null over https. */
    private final H2cClient h2c;

    private final URI uri;
    private final Compressor compressor;
    private final Duration timeout;
    private final Supplier<Map<String, List<String>>> headers;
    private final RetryPolicy retryPolicy;
    private final Predicate<IOException> retryException;
    private final ExecutorService executor;
    private final boolean ownExecutor;
    private final long maxResponseBytes;

    JdkGrpcSender(GrpcSenderConfig config) {
        final String base = config.getEndpoint().toString().replaceAll("/+$", "");
        this.uri = URI.create(base + "/" + config.getFullMethodName());
        this.maxResponseBytes = config.getMaxResponseBodySize();
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            this.client = null;
            this.h2c = H2cClient.acquire(
                    uri.getHost(),
                    uri.getPort() < 0 ? 80 : uri.getPort(),
                    config.getConnectTimeout().toNanos(),
                    (int) Math.min(Integer.MAX_VALUE - 8, maxResponseBytes + 5),
                    new DaemonThreads("otlp-h2c"));
        } else {
            final HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_2)
                    .connectTimeout(config.getConnectTimeout());
            if (config.getSslContext() != null) {
                builder.sslContext(config.getSslContext());
            }
            final List<String> protocols = config.getEnabledProtocols();
            if (protocols != null && !protocols.isEmpty()) {
                final SSLParameters params = new SSLParameters();
                params.setProtocols(protocols.toArray(new String[0]));
                builder.sslParameters(params);
            }
            this.client = builder.build();
            this.h2c = null;
        }
        this.compressor = config.getCompressor();
        this.timeout = config.getTimeout();
        this.headers = config.getHeadersSupplier();
        this.retryPolicy = config.getRetryPolicy();
        this.retryException = retryPolicy != null && retryPolicy.getRetryExceptionPredicate() != null
                ? retryPolicy.getRetryExceptionPredicate()
                : e -> !(e instanceof SSLException);
        if (config.getExecutorService() != null) {
            this.executor = config.getExecutorService();
            this.ownExecutor = false;
        } else {
            this.executor = new ThreadPoolExecutor(
                    0, 2, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), new DaemonThreads("otlp-grpc"));
            this.ownExecutor = true;
        }
    }

    @Override
    public void send(MessageWriter writer, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
        try {
            executor.execute(() -> {
                final GrpcResponse response;
                try {
                    response = call(writer);
                } catch (Throwable t) {
                    onError.accept(t);
                    return;
                }
                onResponse.accept(response);
            });
        } catch (RejectedExecutionException e) {
            onError.accept(e);
        }
    }

    private GrpcResponse call(MessageWriter writer) throws IOException, InterruptedException {
        final byte[] frame = frame(writer);
        final long start = System.nanoTime();
        final long timeoutNanos = timeout.toNanos();
        final int maxAttempts = retryPolicy == null ? 1 : retryPolicy.getMaxAttempts();
        long backoff = retryPolicy == null ? 0 : retryPolicy.getInitialBackoff().toNanos();
        GrpcResponse last = null;
        IOException failure = null;
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            if (attempt > 0) {
                final long remaining = timeoutNanos - (System.nanoTime() - start);
                if (remaining <= 0) {
                    break;
                }
                final long current =
                        Math.min(backoff, retryPolicy.getMaxBackoff().toNanos());
                final long sleep =
                        Math.min((long) (ThreadLocalRandom.current().nextDouble(0.8, 1.2) * current), remaining);
                backoff = (long) (current * retryPolicy.getBackoffMultiplier());
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
            final long remaining = timeoutNanos - (System.nanoTime() - start);
            if (remaining <= 0) {
                break;
            }
            try {
                last = exchange(frame, Duration.ofNanos(remaining));
                failure = null;
                if (last.getStatusCode() == GrpcStatusCode.OK
                        || !RETRYABLE_CODES.contains(last.getStatusCode().getValue())) {
                    return last;
                }
            } catch (IOException e) {
                failure = e;
                last = null;
                if (!retryException.test(e)) {
                    throw e;
                }
            }
        }
        if (last != null) {
            return last;
        }
        throw failure != null ? failure : new java.net.http.HttpTimeoutException("gRPC call timed out");
    }

    private GrpcResponse exchange(byte[] frame, Duration remaining) throws IOException, InterruptedException {
        return h2c != null ? exchangeH2c(frame, remaining) : exchangeHttpClient(frame, remaining);
    }

    private GrpcResponse exchangeH2c(byte[] frame, Duration remaining) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + remaining.toNanos();
        final Map<String, List<String>> extra = headers.get();
        int size = 8;
        if (extra != null) {
            for (List<String> values : extra.values()) {
                size += values.size();
            }
        }
        final String[] names = new String[size];
        final String[] values = new String[size];
        int n = 0;
        names[n] = ":method";
        values[n++] = "POST";
        names[n] = ":scheme";
        values[n++] = "http";
        names[n] = ":path";
        values[n++] = uri.getRawPath();
        names[n] = ":authority";
        values[n++] = h2c.authority();
        names[n] = "content-type";
        values[n++] = "application/grpc";
        names[n] = "te";
        values[n++] = "trailers";
        names[n] = "grpc-timeout";
        values[n++] = Math.max(1, remaining.toMillis()) + "m";
        if (compressor != null) {
            names[n] = "grpc-encoding";
            values[n++] = compressor.getEncoding();
        }
        if (extra != null) {
            for (Map.Entry<String, List<String>> e : extra.entrySet()) {
                final String name = e.getKey().toLowerCase(java.util.Locale.ROOT);
                if (name.startsWith(":") || RESERVED_HEADERS.contains(name)) {
                    // Never the value: headers are usually credentials.
                    throw new IOException("header '" + name + "' cannot be set on an OTLP/gRPC request (HTTP/2 or"
                            + " gRPC reserves it); remove it from OTEL_EXPORTER_OTLP_HEADERS");
                }
                for (String v : e.getValue()) {
                    final String wire = new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
                    if (wire.indexOf('\r') >= 0 || wire.indexOf('\n') >= 0 || wire.indexOf('\0') >= 0) {
                        throw new IOException("header '" + name + "' has a value with CR, LF or NUL (value not"
                                + " shown); fix it in OTEL_EXPORTER_OTLP_HEADERS");
                    }
                    names[n] = name;
                    values[n++] = wire;
                }
            }
        }
        final H2cClient.Response r = h2c.exchange(names, values, n, frame, deadline);
        return toGrpc(r.status(), r.headers(), r.body(), r.trailers(), maxResponseBytes);
    }

    private GrpcResponse exchangeHttpClient(byte[] frame, Duration remaining) throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(remaining)
                .header("content-type", "application/grpc")
                .header("te", "trailers")
                .header("grpc-timeout", Math.max(1, remaining.toMillis()) + "m")
                .POST(HttpRequest.BodyPublishers.ofByteArray(frame));
        if (compressor != null) {
            request.header("grpc-encoding", compressor.getEncoding());
        }
        final Map<String, List<String>> extra = headers.get();
        if (extra != null) {
            extra.forEach((k, values) -> values.forEach(v -> request.header(k, v)));
        }
        final HttpResponse<InputStream> response =
                client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        final byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxResponseBytes + 5));
        }
        return toGrpc(response.statusCode(), response.headers().map(), body, null, maxResponseBytes);
    }

    /**
     * Interprets a response; package-private for tests.
     *
     * @param trailers the trailers (empty when the response had none), or null when the transport cannot read them
     * @param maxMessageBytes the largest response message accepted, after decompression
     */
    static GrpcResponse toGrpc(
            int httpStatus,
            Map<String, List<String>> responseHeaders,
            byte[] body,
            Map<String, List<String>> trailers,
            long maxMessageBytes)
            throws IOException {
        if (httpStatus != 200) {
            return new Response(httpToGrpc(httpStatus), "HTTP " + httpStatus, new byte[0]);
        }
        final Map<String, List<String>> statusSource =
                trailers != null && first(trailers, "grpc-status").isPresent() ? trailers : responseHeaders;
        final Optional<String> status = first(statusSource, "grpc-status");
        if (status.isPresent()) {
            final GrpcStatusCode code = parseCode(status.get());
            final String message = first(statusSource, "grpc-message")
                    .map(JdkGrpcSender::percentDecode)
                    .orElse(null);
            return new Response(
                    code,
                    message,
                    code == GrpcStatusCode.OK ? unframe(responseHeaders, body, maxMessageBytes) : new byte[0]);
        }
        if (trailers == null && body.length >= 5) {
            return new Response(GrpcStatusCode.OK, null, unframe(responseHeaders, body, maxMessageBytes));
        }
        return new Response(
                GrpcStatusCode.UNKNOWN,
                trailers == null
                        ? "no response message and no grpc-status header (the JDK HTTP client cannot read trailers)"
                        : "no grpc-status in the response",
                new byte[0]);
    }

    /** grpc-message is percent-encoded (gRPC over HTTP/2, "Responses"); a malformed escape is kept as it is. */
    private static String percentDecode(String m) {
        try {
            return URLDecoder.decode(m.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return m;
        }
    }

    private static byte[] unframe(Map<String, List<String>> responseHeaders, byte[] body, long maxMessageBytes)
            throws IOException {
        if (body.length < 5) {
            return new byte[0];
        }
        final int length =
                ((body[1] & 0xff) << 24) | ((body[2] & 0xff) << 16) | ((body[3] & 0xff) << 8) | (body[4] & 0xff);
        if (length < 0 || 5 + length > body.length) {
            throw new IOException("truncated gRPC response message");
        }
        final byte[] message = java.util.Arrays.copyOfRange(body, 5, 5 + length);
        if (body[0] == 0) {
            return message;
        }
        final String encoding = first(responseHeaders, "grpc-encoding").orElse("identity");
        if (!encoding.equalsIgnoreCase("gzip")) {
            throw new IOException("unsupported gRPC response encoding " + encoding);
        }
        final int cap = (int) Math.min(Integer.MAX_VALUE - 8, maxMessageBytes);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(message))) {
            final byte[] out = in.readNBytes(cap);
            if (in.read() >= 0) {
                throw new IOException("gzip-compressed gRPC response larger than " + cap + " bytes");
            }
            return out;
        }
    }

    private byte[] frame(MessageWriter writer) throws IOException {
        final ByteArrayOutputStream message = new ByteArrayOutputStream(Math.max(32, writer.getContentLength()));
        if (compressor != null) {
            try (OutputStream out = compressor.compress(message)) {
                writer.writeMessage(out);
            }
        } else {
            writer.writeMessage(message);
        }
        final int length = message.size();
        final ByteArrayOutputStream frame = new ByteArrayOutputStream(length + 5);
        frame.write(compressor != null ? 1 : 0);
        frame.write(length >>> 24);
        frame.write(length >>> 16);
        frame.write(length >>> 8);
        frame.write(length);
        message.writeTo(frame);
        return frame.toByteArray();
    }

    private static GrpcStatusCode httpToGrpc(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> GrpcStatusCode.INTERNAL;
            case 401 -> GrpcStatusCode.UNAUTHENTICATED;
            case 403 -> GrpcStatusCode.PERMISSION_DENIED;
            case 404 -> GrpcStatusCode.UNIMPLEMENTED;
            case 429, 502, 503, 504 -> GrpcStatusCode.UNAVAILABLE;
            default -> GrpcStatusCode.UNKNOWN;
        };
    }

    private static GrpcStatusCode parseCode(String value) {
        try {
            return GrpcStatusCode.fromValue(Integer.parseInt(value.trim()));
        } catch (RuntimeException e) {
            return GrpcStatusCode.UNKNOWN;
        }
    }

    private static Optional<String> first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null
                    && e.getKey().equalsIgnoreCase(name)
                    && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    @Override
    public CompletableResultCode shutdown() {
        if (h2c != null) {
            h2c.release();
        }
        if (ownExecutor) {
            executor.shutdownNow();
        }
        return CompletableResultCode.ofSuccess();
    }

    /** An immutable gRPC response. */
    private record Response(GrpcStatusCode code, String description, byte[] message) implements GrpcResponse {
        @Override
        public GrpcStatusCode getStatusCode() {
            return code;
        }

        @Override
        public String getStatusDescription() {
            return description;
        }

        @Override
        public byte[] getResponseMessage() {
            return message;
        }
    }
}
