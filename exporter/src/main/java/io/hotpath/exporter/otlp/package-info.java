/**
 * OTLP transport wiring: the JDK-HttpClient senders (the SDK's HTTP sender, and hotpath's own gRPC sender for
 * {@code https://} endpoints), chosen explicitly rather than by {@code ServiceLoader}; exporters that report failures
 * once a minute instead of once per export; the bridge that keeps the SDK's {@code java.util.logging} output quiet.
 */
package io.hotpath.exporter.otlp;
