package io.hotpath.exporter.otlp;

import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * The SDK's JDK HTTP sender, given {@link CleartextSslContext} for {@code http://} endpoints that configure no TLS of
 * their own, so that building the client does not initialise the JVM's default TLS context.
 */
public final class JdkHttpSenders implements HttpSenderProvider {
    private final JdkHttpSenderProvider delegate = new JdkHttpSenderProvider();

    @Override
    public HttpSender createSender(HttpSenderConfig config) {
        final boolean cleartext = "http".equalsIgnoreCase(config.getEndpoint().getScheme())
                && config.getSslContext() == null
                && config.getTrustManager() == null;
        return delegate.createSender(cleartext ? new Cleartext(config) : config);
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
