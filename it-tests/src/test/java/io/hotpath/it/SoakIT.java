package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The soak ({@link Soak}) in its short version, on the JDK that runs the tests (so the JDK 17 and the JDK 25 pass of
 * CI each run it once): 3 minutes by default, {@code -Dhotpath.soak.duration=30m} for the long one (or
 * benchmarks/soak.sh). The timeout is the duration plus 4 minutes for start, drain and checks.
 */
class SoakIT {
    @Test
    void countsExactMemoryFlatNoThreadLeakOnlyTheInjectedFault() throws Exception {
        final Duration duration = Soak.duration(System.getProperty("hotpath.soak.duration", "3m"));
        final Path jdk = Path.of(System.getProperty("java.home"));
        final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final Soak.Options options = Soak.Options.forDuration(
                jdk, Launch.AGENT_JAR, Launch.APP_JAR, classPath, Launch.workFile(Jdks.label(jdk) + "-soak"), duration);
        final Soak.Outcome outcome =
                assertTimeoutPreemptively(duration.plusMinutes(4), () -> Soak.run(options, System.out));
        assertThat(outcome.breaches()).as(String.join("\n", outcome.report())).isEmpty();
    }
}
