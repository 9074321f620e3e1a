package io.hotpath.exporter.otlp;

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
 * A gRPC unary-call sender on the JDK's {@link HttpClient}, so that OTLP/gRPC needs neither grpc-java nor OkHttp in the
 * agent jar. The OpenTelemetry SDK 1.68 has no JDK gRPC sender of its own ({@code opentelemetry-exporter-sender-jdk}
 * only provides HTTP).
 *
 * <p>What works: {@code https://} endpoints — the client negotiates HTTP/2 with ALPN during the TLS handshake — with
 * the SDK's TLS settings (trusted certificates, client certificate), gzip, headers, timeouts and the retry policy
 * (retryable gRPC codes and I/O errors, exponential backoff with jitter, all within the timeout). What does not:
 * cleartext {@code http://}. The JDK client only reaches cleartext HTTP/2 through an HTTP/1.1 {@code Upgrade: h2c}
 * request, and gRPC servers expect HTTP/2 with prior knowledge; {@code OtelEnvironment} refuses that combination up
 * front with a clear line instead of failing every export.
 *
 * <p>Reading the status: the JDK client does not expose HTTP/2 trailers, where gRPC puts {@code grpc-status} after a
 * response message. Errors come as "trailers-only" responses, whose {@code grpc-status} is in the headers and is read
 * from there; a {@code 200} whose body holds a complete length-prefixed message is a success. A body-less response
 * without a status in its headers is reported as {@code UNKNOWN}. HTTP errors map to gRPC codes as the gRPC spec says
 * (429, 502, 503, 504: {@code UNAVAILABLE}).
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

    private final HttpClient client;
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
        final HttpClient.Builder builder =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(config.getConnectTimeout());
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
        final String base = config.getEndpoint().toString().replaceAll("/+$", "");
        this.uri = URI.create(base + "/" + config.getFullMethodName());
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
        this.maxResponseBytes = config.getMaxResponseBodySize();
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
        return toGrpc(response.statusCode(), response.headers().map(), body);
    }

    /** Interprets a response; package-private for tests. */
    static GrpcResponse toGrpc(int httpStatus, Map<String, List<String>> responseHeaders, byte[] body)
            throws IOException {
        if (httpStatus != 200) {
            return new Response(httpToGrpc(httpStatus), "HTTP " + httpStatus, new byte[0]);
        }
        final Optional<String> status = first(responseHeaders, "grpc-status");
        if (status.isPresent()) {
            final GrpcStatusCode code = parseCode(status.get());
            final String message = first(responseHeaders, "grpc-message")
                    .map(m -> URLDecoder.decode(m.replace("+", "%2B"), StandardCharsets.UTF_8))
                    .orElse(null);
            return new Response(
                    code, message, code == GrpcStatusCode.OK ? unframe(responseHeaders, body) : new byte[0]);
        }
        if (body.length >= 5) {
            return new Response(GrpcStatusCode.OK, null, unframe(responseHeaders, body));
        }
        return new Response(
                GrpcStatusCode.UNKNOWN,
                "no response message and no grpc-status header (the JDK HTTP client cannot read trailers)",
                new byte[0]);
    }

    private static byte[] unframe(Map<String, List<String>> responseHeaders, byte[] body) throws IOException {
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
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(message))) {
            return in.readAllBytes();
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
