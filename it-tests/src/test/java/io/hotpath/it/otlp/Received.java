package io.hotpath.it.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Everything a test receiver accepted, decoded, with the queries the it-tests need. Cumulative points are read as a
 * collector would: for one series, the point with the latest timestamp wins, whatever order requests arrived in.
 */
public final class Received {
    /** One accepted metrics request and when it arrived ({@link System#nanoTime()}). */
    public record MetricsRequest(long arrivedNanos, ExportMetricsServiceRequest request) {}

    private final List<MetricsRequest> metrics = new CopyOnWriteArrayList<>();
    private final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
    private final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();

    /** One received span with the name of the instrumentation scope that made it. */
    public record ScopedSpan(String scope, Span span) {}

    void add(ExportMetricsServiceRequest request) {
        metrics.add(new MetricsRequest(System.nanoTime(), request));
    }

    void add(ExportLogsServiceRequest request) {
        logs.add(request);
    }

    void add(ExportTraceServiceRequest request) {
        traces.add(request);
    }

    /** Every span received, with its scope. */
    public List<ScopedSpan> spans() {
        final List<ScopedSpan> out = new ArrayList<>();
        for (ExportTraceServiceRequest r : traces) {
            for (ResourceSpans rs : r.getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span span : ss.getSpansList()) {
                        out.add(new ScopedSpan(ss.getScope().getName(), span));
                    }
                }
            }
        }
        return out;
    }

    /** Every metric name received with the instrumentation scope it came in, as {@code scope/name}. */
    public List<String> scopedMetricNames() {
        final List<String> out = new ArrayList<>();
        for (MetricsRequest r : metrics) {
            for (ResourceMetrics rm : r.request().getResourceMetricsList()) {
                for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                    for (Metric m : sm.getMetricsList()) {
                        final String key = sm.getScope().getName() + "/" + m.getName();
                        if (!out.contains(key)) {
                            out.add(key);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Accepted metrics requests, in arrival order. */
    public List<MetricsRequest> metricsRequests() {
        return List.copyOf(metrics);
    }

    /** Every metric of every accepted request with this name. */
    public List<Metric> metrics(String name) {
        final List<Metric> out = new ArrayList<>();
        for (MetricsRequest r : metrics) {
            for (ResourceMetrics rm : r.request().getResourceMetricsList()) {
                for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                    for (Metric m : sm.getMetricsList()) {
                        if (m.getName().equals(name)) {
                            out.add(m);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Every metric name received. */
    public List<String> metricNames() {
        final List<String> out = new ArrayList<>();
        for (MetricsRequest r : metrics) {
            for (ResourceMetrics rm : r.request().getResourceMetricsList()) {
                for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                    for (Metric m : sm.getMetricsList()) {
                        if (!out.contains(m.getName())) {
                            out.add(m.getName());
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The latest value of a sum for the probe whose name matches, or empty if none was received. */
    public Optional<Long> latestSum(String metric, Predicate<String> probe) {
        NumberDataPoint best = null;
        for (Metric m : metrics(metric)) {
            for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                if (matches(p.getAttributesList(), probe)
                        && (best == null || p.getTimeUnixNano() > best.getTimeUnixNano())) {
                    best = p;
                }
            }
        }
        return Optional.ofNullable(best).map(NumberDataPoint::getAsInt);
    }

    /** The latest exponential histogram point for the probe whose name matches. */
    public Optional<ExponentialHistogramDataPoint> latestHistogram(String metric, Predicate<String> probe) {
        ExponentialHistogramDataPoint best = null;
        for (Metric m : metrics(metric)) {
            for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
                if (matches(p.getAttributesList(), probe)
                        && (best == null || p.getTimeUnixNano() > best.getTimeUnixNano())) {
                    best = p;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The resource of the first metrics request, as a sorted map of string forms. */
    public Map<String, String> resource() {
        if (metrics.isEmpty()) {
            return Map.of();
        }
        return attributes(metrics.get(0).request().getResourceMetrics(0).getResource());
    }

    /** Every log record received. */
    public List<LogRecord> logRecords() {
        final List<LogRecord> out = new ArrayList<>();
        for (ExportLogsServiceRequest r : logs) {
            for (ResourceLogs rl : r.getResourceLogsList()) {
                for (ScopeLogs sl : rl.getScopeLogsList()) {
                    out.addAll(sl.getLogRecordsList());
                }
            }
        }
        return out;
    }

    /** The resource of the first logs request. */
    public Map<String, String> logsResource() {
        return logs.isEmpty()
                ? Map.of()
                : attributes(logs.get(0).getResourceLogs(0).getResource());
    }

    /** Attributes as strings, sorted by key. */
    public static Map<String, String> attributes(List<KeyValue> kvs) {
        final Map<String, String> out = new TreeMap<>();
        for (KeyValue kv : kvs) {
            out.put(kv.getKey(), string(kv.getValue()));
        }
        return out;
    }

    private static Map<String, String> attributes(Resource r) {
        return attributes(r.getAttributesList());
    }

    private static boolean matches(List<KeyValue> attributes, Predicate<String> probe) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals("hotpath.probe.name")) {
                return probe.test(kv.getValue().getStringValue());
            }
        }
        return false;
    }

    private static String string(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            default -> v.toString();
        };
    }
}
