package io.hotpath.it.apps;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.logging.Logger;

/**
 * An application with its own OpenTelemetry API and SDK, of another version than the agent's: it must keep using its
 * own, must not see the agent's relocated copy, must find its global and its {@code java.util.logging} loggers as it
 * left them, and must exit by returning from main (the agent's threads are all daemons).
 */
public final class OwnOpenTelemetryApp {
    private OwnOpenTelemetryApp() {}

    public static void main(String[] args) throws Exception {
        for (String hidden : new String[] {
            "io.hotpath.shaded.io.opentelemetry.api.OpenTelemetry",
            "io.hotpath.shaded.io.opentelemetry.sdk.metrics.SdkMeterProvider",
            "io.hotpath.exporter.Exporter"
        }) {
            try {
                Class.forName(hidden);
                System.out.println("VISIBLE " + hidden);
            } catch (ClassNotFoundException e) {
                System.out.println("HIDDEN " + hidden);
            }
        }
        final String api = io.opentelemetry.api.OpenTelemetry.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .getPath();
        System.out.println("API-FROM " + api.substring(api.lastIndexOf('/') + 1));
        System.out.println(
                "SDK-VERSION " + Resource.getDefault().getAttribute(AttributeKey.stringKey("telemetry.sdk.version")));
        System.out.println("GLOBAL "
                + GlobalOpenTelemetry.get().getMeterProvider().getClass().getName());

        final CollectingReader reader = new CollectingReader();
        final SdkMeterProvider provider =
                SdkMeterProvider.builder().registerMetricReader(reader).build();
        provider.get("app").counterBuilder("app.requests").build().add(7);
        for (MetricData m : reader.registration.collectAllMetrics()) {
            for (LongPointData p : m.getLongSumData().getPoints()) {
                System.out.println("APP-METRIC " + m.getName() + " " + p.getValue());
            }
        }
        provider.close();

        final Logger jul = Logger.getLogger("io.opentelemetry");
        System.out.println("JUL " + jul.getUseParentHandlers() + " " + jul.getHandlers().length);

        final ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(16);
        queue.offer(1);
        queue.offer(2);
        queue.poll();
        // Give the agent's export (started in the background) time to send a periodic export before main returns.
        Thread.sleep(args.length > 0 ? Long.parseLong(args[0]) : 0);
        System.out.println("APP-OK");
    }

    /** The smallest metric reader: collects when asked. */
    private static final class CollectingReader implements MetricReader {
        volatile CollectionRegistration registration;

        @Override
        public void register(CollectionRegistration registration) {
            this.registration = registration;
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
