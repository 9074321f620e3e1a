/**
 * The agent's side of its telemetry; the OTLP pipeline itself (OpenTelemetry SDK, metric mapping, senders) is the
 * {@code exporter} module ({@code io.hotpath.exporter}). This package wires that module into the agent: builds
 * {@link io.hotpath.exporter.ExportSettings} from the {@code hotpath.export.*} settings and the standard
 * {@code OTEL_*} ones, starts the exporter on a background daemon thread, emits the agent's own events, and flushes
 * at exit within {@code hotpath.export.flush.timeout}.
 */
package io.hotpath.agent.telemetry;
