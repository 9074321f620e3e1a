/**
 * The metric model: how one {@code Snapshot} of the recording core becomes OpenTelemetry {@code MetricData}
 * (cumulative sums and exponential histograms), produced through the SDK's {@code MetricProducer} hook. docs/metrics.md
 * lists every metric; {@link io.hotpath.exporter.metrics.MetricCatalog} is the code that defines them.
 */
package io.hotpath.exporter.metrics;
