package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.ContentionMonitoringState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The analyzer reads lock contention without changing the JVM: thread contention monitoring (clock reads on every
 * contended enter, wait and park of the application) stays off unless hotpath.analyzer.locks.monitoring asks for it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContentionMonitoringIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void monitoringIsOffByDefaultAndOnWhenAsked(Path jdk) throws Exception {
        assertThat(run(jdk, null)).isEqualTo("MONITORING false");
        assertThat(run(jdk, "true")).isEqualTo("MONITORING true");
    }

    private static String run(Path jdk, String monitoring) throws Exception {
        final Launch l = Launch.on(jdk).prop("hotpath.export.exporter", "none");
        if (monitoring != null) {
            l.prop("hotpath.analyzer.locks.monitoring", monitoring);
        }
        // 1.5 s: the analyzer reads thread states every 200 ms from its first tick on.
        final Launch.Result r =
                l.testMain(ContentionMonitoringState.class, List.of(), "1500").run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        return r.stdout()
                .lines()
                .filter(x -> x.startsWith("MONITORING "))
                .findFirst()
                .orElseThrow();
    }
}
