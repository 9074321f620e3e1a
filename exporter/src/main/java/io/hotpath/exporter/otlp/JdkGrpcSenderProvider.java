package io.hotpath.exporter.otlp;

import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;

/** Provides {@link JdkGrpcSender}; handed to the OTLP gRPC exporters through {@link SenderLoader}. */
public final class JdkGrpcSenderProvider implements GrpcSenderProvider {
    @Override
    public GrpcSender createSender(GrpcSenderConfig config) {
        return new JdkGrpcSender(config);
    }
}
