package io.hotpath.benchmarks.footprint;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The floor of hotpath's final export, without hotpath: what the chosen stack (the OpenTelemetry SDK's OTLP/HTTP
 * metric exporter with its JDK HTTP sender) costs a cold JVM to send one batch and exit. It builds the exporter the
 * way the agent does (cumulative temporality, no self-telemetry, gzip off), builds one batch of metrics shaped like
 * the agent's final export (per probe: a call counter and an exponential latency histogram), exports it once to the
 * endpoint given, waits for the answer, and returns from main. No SDK meter provider, no periodic reader, no agent.
 *
 * <p>Two variants: {@code stock} builds the exporter as a user of the SDK would, and the JDK HTTP client then
 * initialises the JVM's default TLS context (trust store, a TLS socket) even for an {@code http://} endpoint;
 * {@code lean} makes a stand-in TLS context the JVM's default first, which has the effect the agent gets for
 * cleartext endpoints from its own sender provider (the SDK's builder hands the sender no TLS context for {@code
 * http://}, whatever it was given), so that it is the floor of what the agent's own export path can cost.
 *
 * <p>Arguments: endpoint (e.g. {@code http://127.0.0.1:4318}), number of probes, {@code stock} or {@code lean}. Prints the outcome and the
 * wall-clock millisecond at which main returns, like {@link ShortRun}, so benchmarks/footprint.sh measures it as one
 * of its programs ({@code floor}).
 */
public final class ExportFloor {
    private static final AttributeKey<String> PROBE = AttributeKey.stringKey("hotpath.probe");

    private ExportFloor() {}

    public static void main(String[] args) {
        final String endpoint = args[0].endsWith("/v1/metrics") ? args[0] : args[0] + "/v1/metrics";
        final int probes = Integer.parseInt(args[1]);
        final boolean lean;
        switch (args[2]) {
            case "stock" -> lean = false;
            case "lean" -> lean = true;
            default ->
                throw new IllegalArgumentException("ExportFloor: variant must be stock or lean, got '" + args[2] + "'");
        }
        if (lean) {
            SSLContext.setDefault(new NoTlsContext());
        }
        final OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint(endpoint)
                .setTimeout(Duration.ofSeconds(2))
                .setMeterProvider(io.opentelemetry.api.metrics.MeterProvider::noop)
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative())
                .build();
        final CompletableResultCode result = exporter.export(batch(probes));
        result.join(2, TimeUnit.SECONDS);
        exporter.shutdown().join(1, TimeUnit.SECONDS);
        System.out.println("exported=" + result.isSuccess() + " probes=" + probes + " variant=" + args[2]);
        System.out.println("main returns " + System.currentTimeMillis());
    }

    private static List<MetricData> batch(int probes) {
        final Resource resource = Resource.getDefault()
                .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "export-floor")));
        final InstrumentationScopeInfo scope = InstrumentationScopeInfo.builder("io.hotpath")
                .setVersion("floor")
                .build();
        final long start = System.currentTimeMillis() * 1_000_000L - 1_000_000_000L;
        final long now = System.currentTimeMillis() * 1_000_000L;
        final List<LongPointData> calls = new ArrayList<>(probes);
        final List<ExponentialHistogramPointData> latencies = new ArrayList<>(probes);
        for (int i = 0; i < probes; i++) {
            final Attributes a = Attributes.of(PROBE, "com.example.Probe" + i + "#offer");
            calls.add(LongPointData.create(start, now, a, 1000L + i));
            final List<Long> counts = new ArrayList<>(16);
            for (int b = 0; b < 16; b++) {
                counts.add((long) (b + i % 7));
            }
            final long count = counts.stream().mapToLong(Long::longValue).sum();
            latencies.add(ExponentialHistogramPointData.create(
                    3,
                    count * 1500.0,
                    0,
                    true,
                    100.0,
                    true,
                    90_000.0,
                    ExponentialHistogramBuckets.create(3, 52, counts),
                    ExponentialHistogramBuckets.create(3, 0, List.of()),
                    start,
                    now,
                    a,
                    List.of()));
        }
        final SumData<LongPointData> sum = SumData.createLongSumData(true, AggregationTemporality.CUMULATIVE, calls);
        return List.of(
                ImmutableMetricData.createLongSum(
                        resource, scope, "hotpath.probe.calls", "calls recorded", "{call}", sum),
                ImmutableMetricData.createExponentialHistogram(
                        resource,
                        scope,
                        "hotpath.probe.latency",
                        "latency",
                        "ns",
                        ExponentialHistogramData.create(AggregationTemporality.CUMULATIVE, latencies)));
    }

    /** A TLS context that answers the JDK client's set-up questions and refuses any real TLS use. */
    private static final class NoTlsContext extends SSLContext {
        NoTlsContext() {
            super(
                    new Spi(),
                    new Provider("export-floor", "1", "no TLS") {
                        private static final long serialVersionUID = 1L;
                    },
                    "none");
        }

        private static final class Spi extends SSLContextSpi {
            @Override
            protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {}

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                throw new UnsupportedOperationException("no TLS in the export floor");
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                throw new UnsupportedOperationException("no TLS in the export floor");
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                throw new UnsupportedOperationException("no TLS in the export floor");
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                throw new UnsupportedOperationException("no TLS in the export floor");
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                throw new UnsupportedOperationException("no TLS in the export floor");
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                throw new UnsupportedOperationException("no TLS in the export floor");
            }

            @Override
            protected SSLParameters engineGetDefaultSSLParameters() {
                return new SSLParameters();
            }

            @Override
            protected SSLParameters engineGetSupportedSSLParameters() {
                return new SSLParameters();
            }
        }
    }
}
