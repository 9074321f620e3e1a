/**
 * OTLP transport wiring: the JDK senders (the SDK's HTTP sender, and hotpath's own gRPC sender: on the JDK HttpClient
 * for {@code https://} endpoints, on {@link io.hotpath.exporter.otlp.h2c.H2cClient} for cleartext {@code http://}),
 * chosen explicitly rather than by {@code ServiceLoader}; exporters that report failures
 * once a minute instead of once per export; the bridge that keeps the SDK's {@code java.util.logging} output quiet.
 */
package io.hotpath.exporter.otlp;
