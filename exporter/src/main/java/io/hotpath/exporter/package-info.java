/**
 * OpenTelemetry export of the recording core's snapshots: OTLP metrics built from {@code SnapshotTaker} snapshots
 * through the SDK's {@code MetricProducer} hook, and OTLP log records for agent events ({@link
 * io.hotpath.exporter.Event}, emitted through {@link io.hotpath.exporter.Events}).
 *
 * <p>Everything here runs on the agent's own daemon threads inside its isolated class loader; the OpenTelemetry SDK is
 * relocated under {@code io.hotpath.shaded} in the agent jar, so an application's own OpenTelemetry never sees it.
 * {@link io.hotpath.exporter.Exporter} is the lifecycle: start, emit, flush at exit.
 */
package io.hotpath.exporter;
