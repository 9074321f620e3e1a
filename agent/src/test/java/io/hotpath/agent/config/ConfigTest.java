package io.hotpath.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.optimize.Mode;
import io.hotpath.exporter.ExportSettings;
import io.hotpath.exporter.Severity;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void agentArgumentsAreSeparatedByBarSoListsKeepTheirSemicolons() {
        final Config c = Config.resolve(
                "summary.interval=2s|hotpath.alerts.channels=log;webhook|include=com.acme.*;org.example.*",
                props(),
                Map.of());
        assertThat(c.get(Settings.SUMMARY_INTERVAL)).contains(Duration.ofSeconds(2));
        assertThat(c.get(Settings.ALERTS_CHANNELS)).containsExactly("log", "webhook");
        assertThat(c.get(Settings.INCLUDE)).containsExactly("com.acme.*", "org.example.*");
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void sameListWorksAsPropertyEnvironmentVariableAndAgentArgument() {
        final List<String> expected = List.of("log", "otlp");
        assertThat(Config.resolve("alerts.channels=log;otlp", props(), Map.of()).get(Settings.ALERTS_CHANNELS))
                .isEqualTo(expected);
        assertThat(Config.resolve(null, props("hotpath.alerts.channels", "log;otlp"), Map.of())
                        .get(Settings.ALERTS_CHANNELS))
                .isEqualTo(expected);
        assertThat(Config.resolve(null, props(), Map.of("HOTPATH_ALERTS_CHANNELS", "log;otlp"))
                        .get(Settings.ALERTS_CHANNELS))
                .isEqualTo(expected);
    }

    @Test
    void oldCommaFormsStillWorkWithOneDeprecationLineEach() {
        final Config args = Config.resolve("summary.interval=2s,summary.top=3", props(), Map.of());
        assertThat(args.get(Settings.SUMMARY_INTERVAL)).contains(Duration.ofSeconds(2));
        assertThat(args.get(Settings.SUMMARY_TOP)).isEqualTo(3);
        assertThat(args.problems()).singleElement().satisfies(p -> assertThat(p)
                .contains("separated by , are deprecated")
                .contains("summary.interval=2s|summary.top=3"));

        final Config list = Config.resolve("alerts.channels=log,webhook", props(), Map.of());
        assertThat(list.get(Settings.ALERTS_CHANNELS)).containsExactly("log", "webhook");
        assertThat(list.problems()).singleElement().satisfies(p -> assertThat(p)
                .contains("hotpath.alerts.channels='log,webhook'")
                .contains("deprecated")
                .contains("log;webhook"));
    }

    @Test
    void modesLevelsAndSeveritiesAreEnumsAndABadWordNamesItselfAndTheAllowedOnes() {
        final Config good = Config.resolve(
                null,
                props(
                        "hotpath.optimizer.mode", "APPLY",
                        "hotpath.log.level", "debug",
                        "hotpath.alerts.min-severity", "critical",
                        "hotpath.export.exporter", "none"),
                Map.of());
        assertThat(good.get(Settings.OPTIMIZER_MODE)).isEqualTo(Mode.APPLY);
        assertThat(good.get(Settings.LOG_LEVEL)).isEqualTo(AgentLog.Level.DEBUG);
        assertThat(good.get(Settings.ALERTS_MIN_SEVERITY)).isEqualTo(Severity.CRITICAL);
        assertThat(good.get(Settings.EXPORT_EXPORTER)).isEqualTo(ExportSettings.Mode.NONE);
        assertThat(good.problems()).isEmpty();

        final Config bad = Config.resolve(
                null,
                props(
                        "hotpath.optimizer.mode", "fast",
                        "hotpath.log.level", "loud",
                        "hotpath.alerts.min-severity", "severe"),
                Map.of());
        assertThat(bad.get(Settings.OPTIMIZER_MODE)).isEqualTo(Mode.ADVISE);
        assertThat(bad.problems()).hasSize(3);
        assertThat(bad.problems())
                .anySatisfy(p -> assertThat(p).contains("'fast'").contains("expected one of off, advise, apply"));
        assertThat(bad.problems())
                .anySatisfy(p -> assertThat(p).contains("'loud'").contains("expected one of debug, info, warn"));
        assertThat(bad.problems())
                .anySatisfy(
                        p -> assertThat(p).contains("'severe'").contains("expected one of info, warning, critical"));
    }

    @Test
    void testHarnessPropertiesAreUnknownToTheAgent() {
        final Config c =
                Config.resolve(null, props("hotpath.it.agentJar", "x.jar"), Map.of("HOTPATH_IT_WORKDIR", "/tmp/x"));
        assertThat(c.problems()).anySatisfy(p -> assertThat(p).contains("unknown system property hotpath.it.agentJar"));
        assertThat(c.problems())
                .anySatisfy(p -> assertThat(p).contains("unknown environment variable HOTPATH_IT_WORKDIR"));
    }

    @Test
    void catalogueListsEveryDeclaredSettingOnceInDeclarationOrder() throws IllegalAccessException {
        final List<Setting<?>> declared = new ArrayList<>();
        for (Field f : Settings.class.getDeclaredFields()) {
            final int m = f.getModifiers();
            if (Modifier.isStatic(m) && f.getType() == Setting.class) {
                assertThat(Modifier.isPublic(m) && Modifier.isFinal(m))
                        .as(f.getName() + " is public static final")
                        .isTrue();
                declared.add((Setting<?>) f.get(null));
            }
        }
        assertThat(Settings.ALL).containsExactlyElementsOf(declared);
        assertThat(Settings.ALL.stream().map(Setting::key).distinct()).hasSameSizeAs(Settings.ALL);
    }

    @Test
    void aConfigFileThatIsNoRegularFileIsNotRead() {
        // /dev/zero would never end: reading it at premain would hang the application or fill its heap.
        final Config c = Config.resolve(null, props("hotpath.config.file", "/dev/zero"), Map.of());
        assertThat(c.problems())
                .containsExactly(
                        "cannot read hotpath.config.file='/dev/zero': not a regular file; continuing without" + " it");
    }

    @Test
    void aValueWithALineBreakStaysOneProblemLine() {
        final Config c = Config.resolve(null, props("hotpath.tick", "5s\n\u001b[31mFAKE LOG LINE"), Map.of());
        assertThat(c.problems())
                .singleElement()
                .asString()
                .startsWith("invalid hotpath.tick='5s\\n\\u001b[31mFAKE LOG LINE' (system property): expected")
                .doesNotContain("\n");
    }
}
