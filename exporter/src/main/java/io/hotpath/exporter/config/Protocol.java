package io.hotpath.exporter.config;

/** The OTLP transports hotpath speaks. */
public enum Protocol {
    /** Protobuf over HTTP POST ({@code /v1/metrics}, {@code /v1/logs}); the default, port 4318. */
    HTTP_PROTOBUF("http/protobuf"),
    /** gRPC (HTTP/2); port 4317. Over TLS only with the JDK HTTP client, see {@link OtelEnvironment}. */
    GRPC("grpc");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    /** The value of {@code OTEL_EXPORTER_OTLP_PROTOCOL} that selects it. */
    public String label() {
        return label;
    }
}
