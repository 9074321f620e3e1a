package io.hotpath.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.exporter.config.OtelEnvironment;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentResourceTest {
    @Test
    void serviceNameComesFromTheJarOrTheMainClass() {
        assertThat(AgentResource.serviceName("/opt/app/checkout-service.jar --port 8080"))
                .isEqualTo("checkout-service");
        assertThat(AgentResource.serviceName("com.acme.Main arg")).isEqualTo("com.acme.Main");
        assertThat(AgentResource.serviceName("")).isEqualTo("unknown_service:java");
    }

    @Test
    void resourceCarriesServiceProcessHostRuntimeAndDistro() {
        final Resource r = AgentResource.build(settings(Optional.empty(), Map.of()), "app.jar secret-arg", () -> "h1");
        assertThat(attr(r, "service.name")).isEqualTo("app");
        assertThat(attr(r, "service.instance.id")).hasSize(36);
        assertThat(attr(r, "host.name")).isEqualTo("h1");
        assertThat(attr(r, "telemetry.distro.name")).isEqualTo("hotpath");
        assertThat(attr(r, "telemetry.distro.version")).isEqualTo("1.2.3");
        assertThat(attr(r, "telemetry.sdk.name")).isEqualTo("opentelemetry");
        assertThat(attr(r, "process.runtime.name")).isNotBlank();
        assertThat(r.getAttribute(AttributeKey.longKey("process.pid")))
                .isEqualTo(ProcessHandle.current().pid());
        assertThat(r.getAttributes().asMap().values())
                .noneMatch(v -> v.toString().contains("secret-arg"));
    }

    @Test
    void otelServiceNameWinsOverResourceAttributesWhichWinOverDetection() {
        final Resource both = AgentResource.build(
                settings(Optional.of("from-env"), Map.of("service.name", "from-attrs", "host.name", "override")),
                "app.jar",
                () -> "h1");
        assertThat(attr(both, "service.name")).isEqualTo("from-env");
        assertThat(attr(both, "host.name")).isEqualTo("override");
        final Resource attrs = AgentResource.build(
                settings(Optional.empty(), Map.of("service.name", "from-attrs")), "app.jar", () -> "");
        assertThat(attr(attrs, "service.name")).isEqualTo("from-attrs");
    }

    private static String attr(Resource r, String key) {
        return r.getAttribute(AttributeKey.stringKey(key));
    }

    private static ExportSettings settings(Optional<String> serviceName, Map<String, String> attributes) {
        final OtelEnvironment.Result otel = OtelEnvironment.read(Map.of(), new Properties());
        return new ExportSettings(
                ExportSettings.Mode.OTLP,
                otel.metrics(),
                otel.logs(),
                otel.metricInterval(),
                otel.metricExportTimeout(),
                2000,
                320,
                Duration.ofSeconds(2),
                serviceName,
                attributes,
                "1.2.3",
                true,
                Optional.empty());
    }

    @Test
    void instanceIdsAreRandomVersion4Uuids() {
        final java.util.Set<java.util.UUID> ids = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            final java.util.UUID id = AgentResource.instanceId();
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(java.util.UUID.fromString(id.toString())).isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }
}
