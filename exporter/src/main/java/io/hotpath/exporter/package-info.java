/** OpenTelemetry export of the recording core's snapshots (OTLP metrics and log events). */
package io.hotpath.exporter;
