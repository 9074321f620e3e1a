package io.hotpath.exporter.otlp;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.List;

/**
 * Hands the OTLP exporters their senders directly instead of through {@code ServiceLoader}: the JDK HTTP sender for
 * HTTP ({@link JdkHttpSenders}), {@link JdkGrpcSenderProvider} for gRPC, nothing else (no compressor beyond the built-in gzip).
 *
 * <p>The agent jar does carry the relocated {@code META-INF/services} entries, and its isolated class loader serves
 * them, but an explicit choice cannot pick up a sender some other jar contributes, does not depend on how resources are
 * merged when the jar is shaded, and costs no class-path scan.
 */
public final class SenderLoader implements ComponentLoader {
    /** The one instance. */
    public static final SenderLoader INSTANCE = new SenderLoader();

    private SenderLoader() {}

    @Override
    @SuppressWarnings("unchecked")
    public <T> Iterable<T> load(Class<T> spi) {
        if (spi == HttpSenderProvider.class) {
            return (Iterable<T>) List.of(new JdkHttpSenders());
        }
        if (spi == GrpcSenderProvider.class) {
            return (Iterable<T>) List.of(new JdkGrpcSenderProvider());
        }
        return List.of();
    }
}
