package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import io.hotpath.it.otlp.ExportChecks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code io.hotpath:type=Agent} MXBean in the reference broadcaster's JVM, reached the way jconsole reaches a
 * local JVM (the Attach API starts the local management agent; no port is opened): its reads are the dump's, and a
 * write is audited as {@code jmx}.
 */
@org.junit.jupiter.api.Timeout(value = 150, unit = TimeUnit.SECONDS)
class JmxIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void mxBeanReadsAndAuditedWrites(Path jdk) throws Exception {
        final Path dump = Launch.workFile("jmx-dump.json");
        final Launch launch = Launch.on(jdk)
                .prop("hotpath.export.exporter", "none")
                .prop("hotpath.dump.file", dump.toString())
                .prop("hotpath.optimizer.mode", "advise")
                .prop("hotpath.tunables", OptimizerIT.TUNABLES)
                .referenceApp("--scenario", "sustained", "--duration", "15s", "--rate", "2000", "--quiet")
                .timeout(Duration.ofSeconds(100));
        final CompletableFuture<Launch.Result> run = ExportChecks.inBackground(launch);
        long pid = -1;
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (pid < 0 && System.nanoTime() < deadline) {
            for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
                if (p.info().commandLine().orElse("").contains(dump.toString())) {
                    pid = p.pid();
                }
            }
            Thread.sleep(100);
        }
        assertThat(pid).as("the launched JVM").isPositive();
        final VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        final String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            final MBeanServerConnection server = c.getMBeanServerConnection();
            final ObjectName name = new ObjectName("io.hotpath:type=Agent");
            final long until = System.nanoTime() + 30_000_000_000L;
            while (!server.isRegistered(name) && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            assertThat(server.isRegistered(name)).as("bean registered").isTrue();
            String dumpJson = (String) server.getAttribute(name, "DumpJson");
            while (dumpJson.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(200);
                dumpJson = (String) server.getAttribute(name, "DumpJson");
            }
            final Map<String, Object> d = Json.object(dumpJson);
            assertThat(d.get("schema")).isEqualTo("hotpath.dump/2");
            assertThat(server.getAttribute(name, "Mode")).isEqualTo("advise");
            assertThat((String) server.getAttribute(name, "HealthState")).isIn("healthy", "degraded", "unhealthy");
            assertThat(Json.object((String) server.getAttribute(name, "TunablesJson"))
                            .get("mode"))
                    .isEqualTo("advise");

            final String answer = (String)
                    server.invoke(name, "setMode", new Object[] {"apply"}, new String[] {String.class.getName()});
            assertThat(answer).startsWith("{\"done\":\"mode\"");
            assertThat(server.getAttribute(name, "Mode")).isEqualTo("apply");
            final String refused = (String)
                    server.invoke(name, "setMode", new Object[] {"turbo"}, new String[] {String.class.getName()});
            assertThat(refused).isEqualTo("{\"error\":\"mode turbo not allowed; allowed: off, advise, apply\"}\n");
            assertThat((String) server.getAttribute(name, "AuditJson"))
                    .contains("\"who\":\"jmx\",\"what\":\"mode\",\"target\":\"optimizer\",\"from\":\"advise\","
                            + "\"to\":\"apply\"");
        }
        final Launch.Result r = run.get(120, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.agentLines())
                .as(r.describe())
                .anyMatch(l -> l.contains("operator mode optimizer advise -> apply"));
    }
}
