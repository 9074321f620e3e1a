package io.hotpath.exporter.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how one signal (metrics or logs) goes over OTLP.
 *
 * @param signal {@code metrics} or {@code logs}
 * @param protocol HTTP/protobuf or gRPC
 * @param endpoint for HTTP the full URL of the signal ({@code .../v1/metrics}); for gRPC {@code https://host:port}
 * @param defaultEndpoint true when nobody configured an endpoint (then an absent receiver is reported quietly)
 * @param headers extra request headers such as {@code Authorization}; never logged (see {@link #toString()})
 * @param timeout the longest one export may take, retries included
 * @param compression {@code gzip} or {@code none}
 * @param certificate PEM file of trusted certificates for TLS, instead of the JVM's defaults
 * @param clientKey PEM private key for TLS client authentication (with {@code clientCertificate})
 * @param clientCertificate PEM certificate chain for TLS client authentication (with {@code clientKey})
 * @param unusable why this signal cannot be exported with this configuration, or empty
 */
public record OtlpSettings(
        String signal,
        Protocol protocol,
        URI endpoint,
        boolean defaultEndpoint,
        Map<String, String> headers,
        Duration timeout,
        String compression,
        Optional<Path> certificate,
        Optional<Path> clientKey,
        Optional<Path> clientCertificate,
        Optional<String> unusable) {

    /** Freezes the headers. */
    public OtlpSettings {
        headers = Map.copyOf(headers);
    }

    /** The endpoint as it may be shown in a log line: without user info, query or fragment. */
    public String displayEndpoint() {
        return display(endpoint);
    }

    /** A URI without the parts that may hold credentials. */
    static String display(URI uri) {
        final StringBuilder b = new StringBuilder();
        if (uri.getScheme() != null) {
            b.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            b.append(uri.getHost());
        }
        if (uri.getPort() >= 0) {
            b.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            b.append(uri.getRawPath());
        }
        return b.toString();
    }

    /** Everything but header values, which may be credentials. */
    @Override
    public String toString() {
        return "OtlpSettings[" + signal + " " + protocol.label() + " " + displayEndpoint()
                + (defaultEndpoint ? " (default)" : "") + ", headers=" + headers.keySet() + ", timeout="
                + timeout.toMillis() + "ms, compression="
                + compression + certificate.map(p -> ", certificate=" + p).orElse("")
                + clientCertificate.map(p -> ", client certificate=" + p).orElse("")
                + unusable.map(u -> ", unusable: " + u).orElse("") + "]";
    }
}
