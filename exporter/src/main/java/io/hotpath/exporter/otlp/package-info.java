/**
 * OTLP transport wiring: the SDK's senders (JDK {@code HttpClient} for {@code http/protobuf}, OkHttp for {@code grpc},
 * loaded only when gRPC is selected), chosen explicitly rather than by {@code ServiceLoader}; exporters that report
 * failures once a minute instead of once per export; the bridge that keeps the SDK's {@code java.util.logging} output
 * quiet.
 */
package io.hotpath.exporter.otlp;
