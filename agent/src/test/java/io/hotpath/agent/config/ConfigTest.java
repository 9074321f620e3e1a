package io.hotpath.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigTest {
    private static Properties props(String... kv) {
        final Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsWhenNothingIsSet() {
        final Config c = Config.resolve(null, props(), Map.of());
        assertThat(c.get(Settings.ENABLED)).isTrue();
        assertThat(c.get(Settings.TICK)).isEqualTo(Duration.ofMillis(100));
        assertThat(c.get(Settings.SUMMARY_INTERVAL)).isEmpty();
        assertThat(c.problems()).isEmpty();
        assertThat(c.origin(Settings.TICK)).isEqualTo("default");
    }

    @Test
    void precedenceIsAgentArgsThenSystemThenEnvThenFile(@TempDir Path dir) throws IOException {
        final Path file = dir.resolve("hotpath.properties");
        Files.writeString(
                file,
                "hotpath.summary.top=4\nhotpath.probes.max=100\nhotpath.tick=50ms\nhotpath.summary.interval=9s\n");
        final Config c = Config.resolve(
                "summary.interval=2s",
                props("hotpath.summary.interval", "3s", "hotpath.tick", "20ms", "hotpath.config.file", file.toString()),
                Map.of("HOTPATH_SUMMARY_INTERVAL", "4s", "HOTPATH_TICK", "30ms", "HOTPATH_PROBES_MAX", "200"));
        assertThat(c.get(Settings.SUMMARY_INTERVAL)).contains(Duration.ofSeconds(2));
        assertThat(c.get(Settings.TICK)).isEqualTo(Duration.ofMillis(20));
        assertThat(c.get(Settings.PROBES_MAX)).isEqualTo(200);
        assertThat(c.get(Settings.SUMMARY_TOP)).isEqualTo(4);
        assertThat(c.origin(Settings.SUMMARY_TOP)).isEqualTo("config file");
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void badValueIsOneLineNamingPropertyValueAndAllowedAndFallsBackToDefault() {
        final Config c = Config.resolve(
                null,
                props("hotpath.summary.interval", "soon", "hotpath.probes.max", "7"),
                Map.of("HOTPATH_ENABLED", "maybe"));
        assertThat(c.get(Settings.SUMMARY_INTERVAL)).isEqualTo(Optional.empty());
        assertThat(c.get(Settings.PROBES_MAX)).isEqualTo(4096);
        assertThat(c.get(Settings.ENABLED)).isTrue();
        assertThat(c.problems()).hasSize(3);
        assertThat(c.problems()).anySatisfy(p -> assertThat(p)
                .contains("hotpath.summary.interval='soon'")
                .contains("system property")
                .contains("expected a duration")
                .contains("using off"));
        assertThat(c.problems())
                .anySatisfy(
                        p -> assertThat(p).contains("hotpath.probes.max='7'").contains("from 16 to 1000000"));
        assertThat(c.problems()).anySatisfy(p -> assertThat(p)
                .contains("HOTPATH_ENABLED")
                .contains("'maybe'")
                .contains("expected true or false"));
        assertThat(c.problems()).allSatisfy(p -> assertThat(p).doesNotContain("\n"));
    }

    @Test
    void unknownPropertyGetsASuggestion() {
        final Config c = Config.resolve(null, props("hotpath.sumary.interval", "1s"), Map.of("HOTPATH_TIK", "1s"));
        assertThat(c.problems()).anySatisfy(p -> assertThat(p)
                .contains("unknown system property hotpath.sumary.interval")
                .contains("did you mean hotpath.summary.interval?"));
        assertThat(c.problems()).anySatisfy(p -> assertThat(p)
                .contains("unknown environment variable HOTPATH_TIK")
                .contains("did you mean HOTPATH_TICK?"));
    }

    @Test
    void malformedAgentArgumentAndMissingFileAreReportedNotFatal() {
        final Config c =
                Config.resolve("summary.interval", props("hotpath.config.file", "/nonexistent/x.properties"), Map.of());
        assertThat(c.problems()).anySatisfy(p -> assertThat(p).contains("agent argument 'summary.interval' ignored"));
        assertThat(c.problems()).anySatisfy(p -> assertThat(p).contains("cannot read hotpath.config.file"));
    }

    @Test
    void listsAndRenamesParse() {
        final Config c = Config.resolve(
                null,
                props("hotpath.include", "com.acme.*;org.example.Foo", "hotpath.rename", "a.b.<init>:3=ingress;x=y"),
                Map.of());
        assertThat(c.get(Settings.INCLUDE)).containsExactly("com.acme.*", "org.example.Foo");
        assertThat(c.get(Settings.RENAME))
                .containsEntry("a.b.<init>:3", "ingress")
                .containsEntry("x", "y");
        final Config bad =
                Config.resolve(null, props("hotpath.include", "com acme", "hotpath.rename", "nothing"), Map.of());
        assertThat(bad.problems()).hasSize(2);
    }

    @Test
    void durations() {
        assertThat(Parsers.parseDuration("250")).isEqualTo(Duration.ofMillis(250));
        assertThat(Parsers.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Parsers.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Parsers.parseDuration("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(Parsers.parseDuration("ten")).isNull();
    }
}
