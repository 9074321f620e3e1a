package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Without a fault the analyzer stays quiet: a steady and a bursty 60 s run of the reference application (run side by
 * side, on the first JDK only, to keep CI time down) end with no finding above info and no alert. The 10-minute
 * version is it-tests/scripts/analyzer-acceptance.sh.
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class AnalyzerSteadyIT {
    static final String DURATION = System.getProperty("hotpath.it.steadyDuration", "60s");

    @Test
    void steadyAndBurstyRunsRaiseNothingAboveInfo() throws Exception {
        final Path jdk = Jdks.homes().get(0);
        final CompletableFuture<String> steady = CompletableFuture.supplyAsync(() -> run(jdk, "basic"));
        final CompletableFuture<String> bursty = CompletableFuture.supplyAsync(() -> run(jdk, "burst"));
        assertThat(List.of(steady.get(), bursty.get()))
                .allSatisfy(problem -> assertThat(problem).isEmpty());
    }

    private static String run(Path jdk, String scenario) {
        try {
            final Path dump = Launch.workFile(Jdks.label(jdk) + "-" + scenario + "-steady-analyzer.json");
            final Launch.Result r = Launch.on(jdk)
                    .dumpWithoutExport(dump)
                    // A dump every 500 ms as well as at exit: the exit dump may miss its deadline under a GC storm.
                    .prop("hotpath.dump.interval", "500ms")
                    .prop("hotpath.shutdown.timeout", "10s")
                    .referenceApp("--scenario", scenario, "--duration", DURATION, "--quiet")
                    .timeout(Duration.ofSeconds(150))
                    .run();
            if (r.exitCode() != 0) {
                return scenario + ": " + r.describe();
            }
            final AnalyzerFindings found = AnalyzerFindings.read(dump);
            if (!found.aboveInfo().isEmpty()) {
                return scenario + ": findings above info: " + found.aboveInfo();
            }
            if (((Number) found.alerts().get("sent")).longValue() != 0) {
                return scenario + ": alerts sent: " + found.alerts();
            }
            return "";
        } catch (Exception e) {
            return scenario + ": " + e;
        }
    }
}
