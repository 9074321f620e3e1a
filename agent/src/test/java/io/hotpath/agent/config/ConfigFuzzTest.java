package io.hotpath.agent.config;

import static io.hotpath.agent.config.FuzzInputs.assertOneLine;
import static io.hotpath.agent.config.FuzzInputs.show;
import static io.hotpath.agent.config.FuzzInputs.within;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzed configuration: any value of any setting from any source (agent argument, system property, environment
 * variable, config file), any agent-argument string, any config file. The property: the configuration resolves
 * (every setting has a value), nothing escapes, nothing hangs, and every problem is one line; a rejected value is
 * named, with its key and what is allowed.
 *
 * <p>Tries per property: {@code jqwik.tries.default} in src/test/resources/junit-platform.properties; raise it for a
 * long run with {@code -Djqwik.tries.default=100000}.
 */
class ConfigFuzzTest {
    /** A hang is no answer in this long: generous, because a loaded CI machine can stall a thread for seconds. */
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private static Path dir;

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("hotpath-config-fuzz");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    enum Source {
        AGENT_ARGUMENT,
        SYSTEM_PROPERTY,
        ENVIRONMENT,
        CONFIG_FILE
    }

    @Provide
    Arbitrary<Setting<?>> settings() {
        return Arbitraries.of(Settings.ALL);
    }

    @Provide
    Arbitrary<String> values() {
        final List<String> samples = new ArrayList<>(FuzzInputs.VALID_SAMPLES);
        for (Setting<?> s : Settings.ALL) {
            if (!s.defaultText().isEmpty()) {
                samples.add(s.defaultText());
            }
        }
        return FuzzInputs.values(samples);
    }

    @Property
    void anyValueOfAnySettingFromAnySource(
            @ForAll("settings") Setting<?> setting, @ForAll("values") String value, @ForAll Source source)
            throws Exception {
        final Config c = within(LIMIT, value, () -> resolve(setting, value, source));
        for (Setting<?> s : Settings.ALL) {
            assertThat(c.get(s))
                    .as("%s after %s=%s", s.key(), setting.key(), show(value))
                    .isNotNull();
        }
        for (String line : c.problems()) {
            assertOneLine(line, value);
        }
        final String given = source == Source.AGENT_ARGUMENT ? value.trim() : value;
        final boolean intact = source != Source.AGENT_ARGUMENT
                || (value.indexOf('|') < 0 && value.indexOf(',') < 0 && !given.isEmpty());
        if (!intact || setting == Settings.CONFIG_FILE) {
            return;
        }
        if (c.origin(setting).equals("default")) {
            // Rejected: one line names the key, the value as given and what is allowed.
            final List<String> lines = c.problems().stream()
                    .filter(l -> l.startsWith("invalid " + setting.key() + "="))
                    .toList();
            assertThat(lines)
                    .as("problems %s for %s=%s", c.problems(), setting.key(), show(value))
                    .hasSize(1);
            assertThat(lines.get(0))
                    .as("names the value")
                    .contains("'" + Config.shown(given) + "'")
                    .contains("expected");
        } else {
            assertThat(c.problems()).noneMatch(l -> l.startsWith("invalid " + setting.key() + "="));
        }
    }

    private static Config resolve(Setting<?> setting, String value, Source source) {
        final Properties system = new Properties();
        final Map<String, String> env = new HashMap<>();
        String args = null;
        switch (source) {
            case AGENT_ARGUMENT -> args = setting.key().substring("hotpath.".length()) + "=" + value;
            case SYSTEM_PROPERTY -> system.setProperty(setting.key(), value);
            case ENVIRONMENT -> env.put(setting.envName(), value);
            case CONFIG_FILE -> {
                final Properties file = new Properties();
                file.setProperty(setting.key(), value);
                system.setProperty(Settings.CONFIG_FILE.key(), write(file).toString());
            }
        }
        return Config.resolve(args, system, env);
    }

    private static Path write(Properties p) {
        try {
            final Path f = Files.createTempFile(dir, "hotpath", ".properties");
            // The stream form writes ASCII with \\u escapes: any value, even a lone surrogate, survives.
            try (var out = Files.newOutputStream(f)) {
                p.store(out, null);
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ agent arguments

    @Provide
    Arbitrary<String> agentArguments() {
        final Arbitrary<String> key = Arbitraries.oneOf(
                Arbitraries.of(Settings.ALL).map(Setting::key),
                Arbitraries.of(Settings.ALL).map(s -> s.key().substring("hotpath.".length())),
                Arbitraries.of(Settings.ALL).map(s -> s.key().toUpperCase(java.util.Locale.ROOT)),
                FuzzInputs.junk());
        final Arbitrary<String> pair = Arbitraries.oneOf(
                Combinators.combine(key, values(), Arbitraries.of("=", " = ", "==", ":", ""))
                        .as((k, v, eq) -> k + eq + v),
                FuzzInputs.junk());
        return Combinators.combine(pair.list().ofMaxSize(6), Arbitraries.of("|", ",", "||", " | ", ";"))
                .as((pairs, sep) -> String.join(sep, pairs));
    }

    @Property
    void anyAgentArgumentString(@ForAll("agentArguments") String args) throws Exception {
        final Config c = within(LIMIT, args, () -> Config.resolve(args, new Properties(), Map.of()));
        for (Setting<?> s : Settings.ALL) {
            assertThat(c.get(s)).isNotNull();
        }
        for (String line : c.problems()) {
            assertOneLine(line, args);
            assertThat(line).as("names what it is about").containsAnyOf("hotpath.", "agent argument");
        }
    }

    // ------------------------------------------------------------------ config files

    @Provide
    Arbitrary<byte[]> configFiles() {
        final Arbitrary<String> key = Arbitraries.oneOf(
                Arbitraries.of(Settings.ALL).map(Setting::key), FuzzInputs.junk(), Arbitraries.of("hotpath.nope"));
        final Arbitrary<String> line = Arbitraries.oneOf(
                Combinators.combine(key, values(), Arbitraries.of("=", ":", " ", " = ", "\\\n  "))
                        .as((k, v, eq) -> k + eq + v),
                Arbitraries.of("# comment", "! comment", "", "   ", "\\", "key=\\u12", "key=\\uZZZZ", "=", "a\\\n"),
                FuzzInputs.junk());
        final Arbitrary<byte[]> text = Combinators.combine(
                        line.list().ofMaxSize(12), Arbitraries.of("\n", "\r\n", "\r"))
                .as((lines, nl) -> String.join(nl, lines).getBytes(StandardCharsets.UTF_8));
        // Not UTF-8 at all: Latin-1 bytes, random bytes.
        final Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, text), net.jqwik.api.Tuple.of(1, bytes));
    }

    @Property
    void anyConfigFile(@ForAll("configFiles") byte[] content) throws Exception {
        final Path f = Files.createTempFile(dir, "hotpath", ".properties");
        Files.write(f, content);
        final Properties system = new Properties();
        system.setProperty(Settings.CONFIG_FILE.key(), f.toString());
        final String shown = new String(content, StandardCharsets.ISO_8859_1);
        final Config c = within(LIMIT, shown, () -> Config.resolve(null, system, Map.of()));
        for (Setting<?> s : Settings.ALL) {
            assertThat(c.get(s)).isNotNull();
        }
        for (String line : c.problems()) {
            assertOneLine(line, shown);
            assertThat(line).containsAnyOf("hotpath.", "config file");
        }
        Files.delete(f);
    }

    // ------------------------------------------------------------------ environment

    @Provide
    Arbitrary<Map<String, String>> environments() {
        final Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.of(Settings.ALL).map(Setting::envName),
                Arbitraries.of(Settings.ALL).map(s -> s.envName() + "S"),
                FuzzInputs.junk().map(j -> "HOTPATH_" + j));
        return Arbitraries.maps(name, values()).ofMaxSize(5);
    }

    @Property
    void anyHotpathEnvironment(@ForAll("environments") Map<String, String> env) throws Exception {
        final Config c = within(LIMIT, env, () -> Config.resolve(null, new Properties(), env));
        for (Setting<?> s : Settings.ALL) {
            assertThat(c.get(s)).isNotNull();
        }
        for (String line : c.problems()) {
            assertOneLine(line, env);
        }
    }
}
