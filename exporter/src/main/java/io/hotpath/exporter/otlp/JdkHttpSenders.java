package io.hotpath.exporter.otlp;

import io.opentelemetry.exporter.sender.jdk.internal.SharedClientJdkSenders;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509TrustManager;

/**
 * The SDK's JDK HTTP sender, with two changes to how its HTTP client is made:
 *
 * <ul>
 *   <li>{@code http://} endpoints that configure no TLS of their own get {@link CleartextSslContext}, so that building
 *       the client does not initialise the JVM's default TLS context.
 *   <li>Senders whose client-level settings are equal (TLS context, connect timeout, proxy, TLS protocols) share one
 *       client. The exporter needs three senders (periodic metrics, the final export's metrics, events), and the
 *       SDK's provider builds a client for each: a selector-manager thread, its buffers and connection pool each, and
 *       three connections to the same receiver.
 *   <li>The clients run their work on {@link #WORKERS} daemon threads of the exporter's ({@code hotpath-otlp-http-*})
 *       that live as long as the clients. A client built without an executor makes a cached pool whose threads end
 *       after a minute idle: each receiver outage, and with the default 60-second export interval nearly every export,
 *       started new threads, each with its own stack, thread-local buffers and a malloc arena to settle in again. The
 *       pool's queue needs no bound of its own: it holds the completions of requests in flight, and the senders' pool
 *       allows four of those at a time.
 * </ul>
 *
 * <p>The shared clients belong to this object, not to the senders: a sender's {@code shutdown} leaves its client
 * open (another sender may be using it), and {@link #close} closes them all once every exporter is down.
 */
public final class JdkHttpSenders implements HttpSenderProvider, AutoCloseable {
    /** Threads that run the clients' work: the JDK's own pool keeps two busy under the exporter's load. */
    static final int WORKERS = 2;

    private final List<Shared> clients = new ArrayList<>(2);
    // Made with the first client, shut down with the last; guarded by clients.
    private ExecutorService workers;

    @Override
    public HttpSender createSender(HttpSenderConfig config) {
        final boolean cleartext = "http".equalsIgnoreCase(config.getEndpoint().getScheme())
                && config.getSslContext() == null
                && config.getTrustManager() == null;
        final HttpSenderConfig c = cleartext ? new Cleartext(config) : config;
        return new SharedClientSender(SharedClientJdkSenders.create(client(c), c));
    }

    /** Closes the shared clients (on JDK 21 and later, where a client can be closed; before, their threads idle). */
    @Override
    public void close() {
        final List<Shared> all;
        final ExecutorService running;
        synchronized (clients) {
            all = new ArrayList<>(clients);
            clients.clear();
            running = workers;
            workers = null;
        }
        for (Shared s : all) {
            if (s.client() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // closing is best effort: the client's threads are daemons
                }
            }
        }
        // Before JDK 21 a client cannot be closed and its selector thread stays; the workers end either way, and a
        // request still in flight fails instead of completing.
        if (running != null) {
            running.shutdownNow();
        }
    }

    /** How many distinct clients the senders made so far use; for tests. */
    public int clientCount() {
        synchronized (clients) {
            return clients.size();
        }
    }

    private HttpClient client(HttpSenderConfig c) {
        final List<String> protocols = c.getEnabledProtocols();
        final ClientKey key = new ClientKey(
                c.getSslContext(),
                c.getConnectTimeout(),
                c.getProxyOptions(),
                protocols == null ? List.of() : List.copyOf(protocols));
        synchronized (clients) {
            for (Shared s : clients) {
                if (s.key().equals(key)) {
                    return s.client();
                }
            }
            if (workers == null) {
                workers = new ThreadPoolExecutor(
                        WORKERS,
                        WORKERS,
                        0,
                        TimeUnit.MILLISECONDS,
                        new LinkedBlockingQueue<>(),
                        new DaemonThreads("otlp-http"));
            }
            final HttpClient client = build(key, workers);
            clients.add(new Shared(key, client));
            return client;
        }
    }

    /** The client the SDK's sender would build for these settings, on the exporter's worker threads. */
    private static HttpClient build(ClientKey key, ExecutorService workers) {
        final HttpClient.Builder b =
                HttpClient.newBuilder().connectTimeout(key.connectTimeout()).executor(workers);
        if (key.sslContext() != null) {
            b.sslContext(key.sslContext());
        }
        if (key.proxy() != null) {
            b.proxy(key.proxy().getProxySelector());
        }
        if (!key.protocols().isEmpty()) {
            final SSLParameters parameters = new SSLParameters();
            parameters.setProtocols(key.protocols().toArray(new String[0]));
            b.sslParameters(parameters);
        }
        return b.build();
    }

    /**
     * What the JDK client is built from. TLS contexts and proxy options compare by identity: the SDK builds a new TLS
     * context for each exporter that names certificates, so those exporters keep clients of their own, while every
     * exporter without (the JVM's default context, or the cleartext stand-in) shares one.
     */
    private record ClientKey(
            SSLContext sslContext, Duration connectTimeout, ProxyOptions proxy, List<String> protocols) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ClientKey k
                    && k.sslContext == sslContext
                    && k.proxy == proxy
                    && k.connectTimeout.equals(connectTimeout)
                    && k.protocols.equals(protocols);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(sslContext) * 31 + connectTimeout.hashCode();
        }
    }

    private record Shared(ClientKey key, HttpClient client) {}

    /** A sender on a shared client: shutting it down leaves the client to {@link JdkHttpSenders#close}. */
    private record SharedClientSender(HttpSender delegate) implements HttpSender {
        @Override
        public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
            delegate.send(writer, onResponse, onError);
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** The configuration as given, with the stand-in TLS context. */
    private record Cleartext(HttpSenderConfig config) implements HttpSenderConfig {
        @Override
        public URI getEndpoint() {
            return config.getEndpoint();
        }

        @Override
        public String getContentType() {
            return config.getContentType();
        }

        @Override
        public Compressor getCompressor() {
            return config.getCompressor();
        }

        @Override
        public Duration getTimeout() {
            return config.getTimeout();
        }

        @Override
        public Duration getConnectTimeout() {
            return config.getConnectTimeout();
        }

        @Override
        public Supplier<Map<String, List<String>>> getHeadersSupplier() {
            return config.getHeadersSupplier();
        }

        @Override
        public ProxyOptions getProxyOptions() {
            return config.getProxyOptions();
        }

        @Override
        public RetryPolicy getRetryPolicy() {
            return config.getRetryPolicy();
        }

        @Override
        public SSLContext getSslContext() {
            return CleartextSslContext.INSTANCE;
        }

        @Override
        public X509TrustManager getTrustManager() {
            return null;
        }

        @Override
        public ExecutorService getExecutorService() {
            return config.getExecutorService();
        }

        @Override
        public long getMaxResponseBodySize() {
            return config.getMaxResponseBodySize();
        }

        @Override
        public List<String> getEnabledProtocols() {
            return config.getEnabledProtocols();
        }
    }
}
