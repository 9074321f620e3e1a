package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's compiler directive (hotpath.jit.directives) in the reference broadcaster's JVM, next to a directive file
 * and a CompileCommand of the application's own: the agent's methods that reach C2's threshold are excluded from C2,
 * and only they; the application's directive and CompileCommand still exclude their methods; the recording core and
 * the application still reach C2. Read from -XX:+PrintCompilation, which reports every exclusion.
 */
@org.junit.jupiter.api.Timeout(value = 150, unit = TimeUnit.SECONDS)
class JitDirectivesIT {
    /** A PrintCompilation line of a C2 compile: timestamp, id, five flag columns, tier 4, method. */
    private static final Pattern C2_COMPILE = Pattern.compile("^\\s*\\d+\\s+\\d+\\s.{5}\\s+4\\s+(\\S+)");

    /**
     * An exclusion line: the method follows the marker. Compiler threads print without a common lock, so another line
     * can land inside this one (the marker followed by another thread's PrintCompilation line); such a line names no
     * method and is skipped.
     */
    private static final Pattern EXCLUDED =
            Pattern.compile("^### Excluding compile: (?:static )?([\\w.$]+::[\\w$<>]+)");

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void agentCodeStaysOutOfC2AndTheApplicationsDirectivesStillWork(Path jdk) throws Exception {
        final Path appDirectives = Launch.workFile("app-directives.json");
        Files.writeString(
                appDirectives,
                "[{\"match\": [\"io/hotpath/reference/SimulatedWork.spin\"], \"c2\": {\"Exclude\": true}}]");
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.export.exporter", "none")
                .jvmArg("-XX:+UnlockDiagnosticVMOptions")
                .jvmArg("-XX:CompilerDirectivesFile=" + appDirectives)
                .jvmArg("-XX:CompileCommand=exclude,io.hotpath.reference.LatencyRecorder::record")
                .jvmArg("-XX:+PrintCompilation")
                .referenceApp("--scenario", "sustained", "--duration", "15s", "--rate", "20000", "--quiet")
                .timeout(Duration.ofSeconds(100))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.agentLines()).as(r.describe()).noneMatch(l -> l.contains("compiler directive"));
        final List<String> lines = r.stdout().lines().toList();
        final List<String> excluded = lines.stream()
                .map(EXCLUDED::matcher)
                .filter(java.util.regex.Matcher::find)
                .map(m -> m.group(1))
                .toList();
        final List<String> c2 = lines.stream()
                .map(C2_COMPILE::matcher)
                .filter(java.util.regex.Matcher::find)
                .map(m -> m.group(1))
                .toList();

        assertThat(excluded)
                .as("the agent's methods that reached C2's threshold")
                .anyMatch(m -> m.startsWith("io.hotpath.agent."));
        assertThat(excluded)
                .as("nothing but the agent's code and the application's own exclusions")
                .allMatch(m -> m.startsWith("io.hotpath.agent.")
                        || m.startsWith("io.hotpath.exporter.")
                        || m.startsWith("io.hotpath.shaded.")
                        || m.equals("io.hotpath.reference.LatencyRecorder::record")
                        || m.equals("io.hotpath.reference.SimulatedWork::spin"));
        assertThat(excluded)
                .as("the application's CompileCommand and directive file")
                .contains("io.hotpath.reference.LatencyRecorder::record", "io.hotpath.reference.SimulatedWork::spin");
        assertThat(c2)
                .as("the recording core and the application still reach C2")
                .anyMatch(m -> m.startsWith("io.hotpath.bootstrap."))
                .anyMatch(m -> m.startsWith("io.hotpath.reference."))
                .doesNotContain(
                        "io.hotpath.reference.LatencyRecorder::record", "io.hotpath.reference.SimulatedWork::spin");
    }
}
