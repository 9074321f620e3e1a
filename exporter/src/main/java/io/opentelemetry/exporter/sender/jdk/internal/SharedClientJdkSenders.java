package io.opentelemetry.exporter.sender.jdk.internal;

import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import java.net.http.HttpClient;

/**
 * The SDK's JDK HTTP sender on an HTTP client the caller owns. The SDK has the constructor that takes a client but
 * keeps it package-private, and its provider builds a new client (a selector thread, its buffers and connection pool)
 * for every exporter; this class lives in the sender's package only to reach that constructor. It is relocated with
 * the SDK when the agent jar is shaded, so it stays in the same package as the sender it calls. Compiled against the
 * pinned SDK version: a change of that constructor fails the build, not the agent.
 */
public final class SharedClientJdkSenders {
    private SharedClientJdkSenders() {}

    /** A sender for {@code config} that sends through {@code client}, ignoring the config's client-level settings. */
    public static HttpSender create(HttpClient client, HttpSenderConfig config) {
        return new JdkHttpSender(
                client,
                config.getEndpoint(),
                config.getContentType(),
                config.getCompressor(),
                config.getTimeout(),
                config.getHeadersSupplier(),
                config.getRetryPolicy(),
                config.getExecutorService(),
                config.getMaxResponseBodySize());
    }
}
