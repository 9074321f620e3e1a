package io.hotpath.exporter.otlp;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.sender.okhttp.internal.OkHttpGrpcSenderProvider;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.List;

/**
 * Hands the OTLP exporters their senders directly instead of through {@code ServiceLoader}: the JDK HTTP sender for
 * HTTP ({@link JdkHttpSenders}, one JDK client shared by the exporters built with the same loader), the SDK's OkHttp sender for gRPC, nothing else (no compressor beyond the built-in
 * gzip).
 *
 * <p>Two senders because neither covers both: the JDK client cannot speak cleartext HTTP/2 with prior knowledge (what
 * a gRPC receiver on {@code http://host:4317} expects), and OkHttp brings OkHttp, Okio and the Kotlin runtime, about
 * 1,500 classes (2.9 MB of the agent jar) that {@code http/protobuf} (the default) does not need. The OkHttp provider
 * is named only inside {@link Grpc}, which the JVM loads when an exporter asks for a gRPC sender, so that an agent
 * exporting over HTTP never loads a class of OkHttp or Kotlin.
 *
 * <p>The agent jar does carry the relocated {@code META-INF/services} entries (of both senders), and its isolated
 * class loader serves them, but an explicit choice cannot pick up a sender some other jar contributes, does not depend
 * on the order in which resources were merged when the jar was shaded, and costs no class-path scan.
 */
public final class SenderLoader implements ComponentLoader, AutoCloseable {
    private final JdkHttpSenders http = new JdkHttpSenders();

    /** A loader whose HTTP senders share their JDK clients (see {@link JdkHttpSenders}) until {@link #close}. */
    public SenderLoader() {}

    @Override
    @SuppressWarnings("unchecked")
    public <T> Iterable<T> load(Class<T> spi) {
        if (spi == HttpSenderProvider.class) {
            return (Iterable<T>) List.of(http);
        }
        if (spi == GrpcSenderProvider.class) {
            return (Iterable<T>) Grpc.providers();
        }
        return List.of();
    }

    /** How many JDK HTTP clients the HTTP senders made so far use; for tests. */
    public int httpClients() {
        return http.clientCount();
    }

    /** Closes the JDK HTTP clients; call once the exporters built with this loader are shut down. */
    @Override
    public void close() {
        http.close();
    }

    /** The only class that names the OkHttp sender; loaded (with OkHttp) on the first gRPC exporter. */
    private static final class Grpc {
        private Grpc() {}

        static List<GrpcSenderProvider> providers() {
            return List.of(new OkHttpGrpcSenderProvider());
        }
    }
}
