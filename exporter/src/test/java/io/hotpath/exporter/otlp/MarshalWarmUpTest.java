package io.hotpath.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.hotpath.exporter.config.OtelEnvironment;
import io.hotpath.exporter.config.OtlpSettings;
import io.hotpath.exporter.metrics.WarmUpBatch;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MarshalWarmUpTest {
    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("io.hotpath");

    @Test
    void encodesEveryShapeAndSendsNothingToTheReceiver() throws Exception {
        final AtomicInteger requests = new AtomicInteger();
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            requests.incrementAndGet();
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
        try {
            final OtlpSettings metrics = metrics(Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://127.0.0.1:" + server.getAddress().getPort()));
            assertThat(MarshalWarmUp.run(metrics, WarmUpBatch.of(Resource.getDefault(), SCOPE, 1L)))
                    .isTrue();
            Thread.sleep(200);
            assertThat(requests).hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void grpcIsLeftAlone() {
        final OtlpSettings metrics = metrics(
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
        assertThat(MarshalWarmUp.run(metrics, WarmUpBatch.of(Resource.getDefault(), SCOPE, 1L)))
                .isFalse();
    }

    private static OtlpSettings metrics(Map<String, String> env) {
        final OtelEnvironment.Result r = OtelEnvironment.read(env, new Properties());
        assertThat(r.problems()).isEmpty();
        return r.metrics();
    }
}
