package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.DeclaredProbesApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The nastiest inputs the configuration property tests (agent module, ConfigFuzzTest and SpecFuzzTest) generate,
 * given to a real JVM with the built agent: the application runs to completion, exit 0, with no exception or stack
 * trace in its output, and every problem the agent reports is one line with its control characters escaped.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FuzzedConfigIT {
    private static final String ESC = "\u001b";

    static Stream<Path> jdks() {
        return Jdks.homes().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void nastyInputsLeaveTheApplicationAlone(Path jdk) throws Exception {
        final Path file = Launch.workFile("fuzzed.properties");
        // A file that is not UTF-8, with a broken \\u escape on one line and a stray continuation at the end.
        Files.write(
                file,
                ("hotpath.tick=1\u00e9s\nhotpath.rename=a=\\u12\nhotpath.tunables=x=a.B#c:batch-size[9..1]\\\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        final List<Launch> runs = List.of(
                // Agent arguments with a line break, a terminal escape, empty and huge values.
                Launch.on(jdk)
                        .prop("hotpath.export.exporter", "none")
                        .agentArgs(
                                "tick=5s\n[hotpath] INFO forged|summary.interval=" + ESC + "[31m|=|probes.max="
                                        + "99999999999999999999|dump.interval=-1s|log.level= INFO |,,|\u00b5|sampling.rate=1e400"),
                // Glob patterns that backtrack exponentially as regular expressions, and malformed specs.
                Launch.on(jdk)
                        .prop("hotpath.export.exporter", "none")
                        .prop(
                                "hotpath.probes",
                                "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b#*;io.hotpath.it.apps.DeclaredProbesApp$"
                                        + "OrderHandler#handle*:METHOD;#;:;*#*:teleport;" + "x".repeat(5000) + "#y")
                        .prop("hotpath.include", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*;io.*")
                        .prop("hotpath.exclude", "com.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*.*Z")
                        .prop(
                                "hotpath.optimizer.rules",
                                "when * on *a*a*a*a*a*a*a*a*a*a*a*a*b then @batch-size up by x99")
                        .prop("hotpath.tunables", "b=com.acme.B#f:batch-size[-99999999999999999999..1];\u0001=x#y:z"),
                // A device for a config file, full-width digits, bad OTEL_* values with a secret in a header (exported,
                // so
                // the OTEL_* variables are read; nothing listens, which the agent only reports).
                Launch.on(jdk)
                        .prop("hotpath.config.file", "/dev/zero")
                        .env("HOTPATH_TICK", "\uff11\uff10\uff10ms")
                        .env("HOTPATH_TICKK", "1s")
                        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://[::1" + ESC + "]:4318\n")
                        .env("OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cr3t%zz,\n=s3cr3t")
                        .env("OTEL_METRIC_EXPORT_INTERVAL", "1e400")
                        .env("OTEL_EXPORTER_OTLP_PROTOCOL", "HTTP/JSON\u2028"),
                // A config file that is not UTF-8, with a broken escape.
                Launch.on(jdk)
                        .prop("hotpath.export.exporter", "none")
                        .prop("hotpath.config.file", file.toString())
                        .prop("hotpath.optimizer.mode", "APPLY")
                        .prop("hotpath.alerts.channels", "log,,OTLP;;webhook ; carrier-pigeon"));
        for (Launch launch : runs) {
            final Launch.Result r = launch.timeout(java.time.Duration.ofSeconds(60))
                    .testMain(DeclaredProbesApp.class, List.of(), "2000")
                    .run();
            assertThat(r.timedOut()).as(r.describe()).isFalse();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.stdout()).as(r.describe()).contains("TRUTH publish=2000");
            assertThat(r.stderr())
                    .as(r.describe())
                    .doesNotContain("Exception in thread")
                    .doesNotContain("\tat ")
                    .doesNotContain(ESC)
                    .doesNotContain("\u2028")
                    .doesNotContain("s3cr3t");
            // The forged line inside the agent argument is escaped into the agent's own line, never a line itself.
            assertThat(r.stderr().lines()).noneMatch(l -> l.startsWith("[hotpath] INFO forged"));
            assertThat(r.agentLines()).as(r.describe()).anyMatch(l -> l.contains("WARN"));
        }
    }
}
