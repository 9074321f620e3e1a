package io.hotpath.exporter.otlp;

import io.hotpath.exporter.ExportLog;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.Locale;

/**
 * {@code hotpath.export.exporter=logging}: every metric point and every event as one line in the agent's log, for
 * trying the metric model out without a collector. Not meant for production volumes.
 */
public final class LogLineExporters {
    private LogLineExporters() {}

    /** Metric points as {@code metric <name>{attributes} <value> <unit>} lines. */
    public static MetricExporter metrics(ExportLog log) {
        return new MetricLines(log);
    }

    /** Events as {@code event <name> <SEVERITY> <body> {attributes}} lines. */
    public static LogRecordExporter logs(ExportLog log) {
        return new EventLines(log);
    }

    /**
     * Nothing buffered and nothing to close: flush and shutdown succeed at once. These public methods implement both
     * SDK exporter interfaces' flush and shutdown, which share no supertype.
     */
    private abstract static class Unbuffered {
        final ExportLog log;

        Unbuffered(ExportLog log) {
            this.log = log;
        }

        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    private static final class MetricLines extends Unbuffered implements MetricExporter {
        MetricLines(ExportLog log) {
            super(log);
        }

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            for (MetricData m : metrics) {
                for (PointData p : m.getData().getPoints()) {
                    log.info("metric " + m.getName() + format(p.getAttributes()) + " " + value(p) + " " + m.getUnit());
                }
            }
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }
    }

    private static final class EventLines extends Unbuffered implements LogRecordExporter {
        EventLines(ExportLog log) {
            super(log);
        }

        @Override
        public CompletableResultCode export(Collection<LogRecordData> logs) {
            for (LogRecordData r : logs) {
                log.info("event " + r.getEventName() + " " + r.getSeverityText() + " "
                        + (r.getBodyValue() == null ? "" : r.getBodyValue().asString())
                        + format(r.getAttributes()));
            }
            return CompletableResultCode.ofSuccess();
        }
    }

    private static String value(PointData p) {
        if (p instanceof LongPointData l) {
            return Long.toString(l.getValue());
        }
        if (p instanceof ExponentialHistogramPointData h) {
            return String.format(
                    Locale.ROOT,
                    "count=%d sum=%s scale=%d zero=%d buckets=%d@%d",
                    h.getCount(),
                    h.getSum(),
                    h.getScale(),
                    h.getZeroCount(),
                    h.getPositiveBuckets().getBucketCounts().size(),
                    h.getPositiveBuckets().getOffset());
        }
        return p.toString();
    }

    private static String format(Attributes attributes) {
        final StringBuilder b = new StringBuilder("{");
        attributes.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append(k.getKey()).append('=').append(v);
        });
        return b.append('}').toString();
    }
}
