package io.hotpath.agent.config;

import static io.hotpath.agent.config.FuzzInputs.assertOneLine;
import static io.hotpath.agent.config.FuzzInputs.within;
import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.instrument.method.MethodProbeSpec;
import io.hotpath.agent.optimize.rule.Rule;
import io.hotpath.agent.optimize.tunable.TunableSpec;
import io.hotpath.exporter.config.OtelEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzed specs: {@code hotpath.probes}, {@code hotpath.tunables}, {@code hotpath.optimizer.rules}, the {@code OTEL_*}
 * variables, and the glob matcher that every name pattern goes through. Each parser never throws, never hangs, and
 * reports each skipped entry in one line that quotes the entry and says what is expected.
 *
 * <p>Tries per property: {@code jqwik.tries.default} (src/test/resources/junit-platform.properties); raise it with
 * {@code -Djqwik.tries.default=100000}.
 */
class SpecFuzzTest {
    /** A hang is no answer in this long: generous, because a loaded CI machine can stall a thread for seconds. */
    private static final Duration LIMIT = Duration.ofSeconds(20);

    /** A long dotted name that shares many characters with the generated patterns but need not match them. */
    private static final String LONG_NAME = "com.acme.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a"
            + ".aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa$Handler";

    private static Arbitrary<String> specs(List<String> valid) {
        final Arbitrary<String> entry = FuzzInputs.values(valid);
        return Combinators.combine(entry.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(";", ",", "; ", "\n"))
                .as((entries, sep) -> String.join(sep, entries));
    }

    @Provide
    Arbitrary<String> probeSpecs() {
        return specs(List.of(
                "com.acme.Broadcaster#publish:broadcast",
                "com.acme.*Handler#handle*",
                "com.acme.*#*:ipc",
                "*.a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b#*",
                "com.acme.Batcher#flush:batch",
                "io.hotpath.it.apps.DeclaredProbesApp$Broadcaster#publish:method"));
    }

    @Property
    void anyProbesSpec(@ForAll("probeSpecs") String value) throws Exception {
        final MethodProbeSpec.Parsed parsed = within(LIMIT, value, () -> MethodProbeSpec.parseAll(value));
        for (String line : parsed.problems()) {
            assertOneLine(line, value);
            assertThat(line)
                    .startsWith("hotpath.probes entry '")
                    .contains("' skipped: ")
                    .contains("expected");
        }
        final long entries = java.util.Arrays.stream(value.split(";"))
                .filter(e -> !e.trim().isEmpty())
                .count();
        assertThat(parsed.specs().size() + parsed.problems().size())
                .as("every entry parsed or reported")
                .isEqualTo(entries);
        // The patterns run while the application loads classes: matching a long name must not hang.
        within(LIMIT, value, () -> {
            for (MethodProbeSpec s : parsed.specs()) {
                final String text = s.text();
                final int hash = text.indexOf('#');
                Glob.of(text.substring(0, hash).trim()).matches(LONG_NAME);
            }
            return null;
        });
    }

    @Provide
    Arbitrary<String> tunableSpecs() {
        return specs(List.of(
                "batch=com.acme.Broadcaster#batchSize:batch-size[1..512]",
                "pool=com.acme.Pool#threads:concurrency[1..64]",
                "flush=com.acme.Out$Writer#flushMicros:flush-interval[100..100000]",
                "zip=com.acme.Out#compress:compression",
                "x=a.B#c:batch-size[-9223372036854775808..9223372036854775807]"));
    }

    @Property
    void anyTunablesSpec(@ForAll("tunableSpecs") String value) throws Exception {
        final TunableSpec.Parsed parsed = within(LIMIT, value, () -> TunableSpec.parseAll(value, 0, 64));
        for (String line : parsed.problems()) {
            assertOneLine(line, value);
            assertThat(line).startsWith("hotpath.tunables entry '").contains("' skipped: ");
        }
        for (TunableSpec s : parsed.specs()) {
            assertThat(s.name()).isNotBlank();
            assertThat(s.min()).isLessThanOrEqualTo(s.max());
        }
    }

    @Provide
    Arbitrary<String> rules() {
        return specs(List.of(
                "when queue_depth on com.acme.* then @batch-size up by x2 cooldown 5s priority 1",
                "grow: when saturation then pool up by 2",
                "when latency then @flush-interval down",
                "when * on *.*.*.*.*.*.*.*.*x then zip on"));
    }

    @Property
    void anyOptimizerRules(@ForAll("rules") String value) throws Exception {
        final Rule.Parsed parsed = within(LIMIT, value, () -> Rule.parseAll(value));
        for (String line : parsed.problems()) {
            assertOneLine(line, value);
            assertThat(line).startsWith("hotpath.optimizer.rules entry '").contains("expected");
        }
        within(LIMIT, value, () -> {
            for (Rule r : parsed.rules()) {
                r.matches("queue_depth", LONG_NAME);
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ OTEL_*

    private static final List<String> OTEL_PROPERTIES = List.of(
            "otel.exporter.otlp.endpoint",
            "otel.exporter.otlp.metrics.endpoint",
            "otel.exporter.otlp.logs.endpoint",
            "otel.exporter.otlp.protocol",
            "otel.exporter.otlp.metrics.protocol",
            "otel.exporter.otlp.headers",
            "otel.exporter.otlp.logs.headers",
            "otel.exporter.otlp.timeout",
            "otel.exporter.otlp.compression",
            "otel.exporter.otlp.certificate",
            "otel.exporter.otlp.client.key",
            "otel.exporter.otlp.client.certificate",
            "otel.metric.export.interval",
            "otel.metric.export.timeout",
            "otel.exporter.otlp.metrics.temporality.preference",
            "otel.service.name",
            "otel.resource.attributes");

    @Provide
    Arbitrary<Map<String, String>> otelEnvironments() {
        final Arbitrary<String> name = Arbitraries.of(OTEL_PROPERTIES).map(OtelEnvironment::envName);
        return Arbitraries.maps(name, FuzzInputs.values(FuzzInputs.VALID_SAMPLES))
                .ofMaxSize(6);
    }

    @Property
    void anyOtelEnvironment(@ForAll("otelEnvironments") Map<String, String> env, @ForAll boolean asProperties)
            throws Exception {
        final Properties system = new Properties();
        if (asProperties) {
            env.forEach((k, v) ->
                    system.setProperty(k.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v));
        }
        final OtelEnvironment.Result r =
                within(LIMIT, env, () -> OtelEnvironment.read(asProperties ? Map.of() : env, system));
        assertThat(r.metrics()).isNotNull();
        assertThat(r.logs()).isNotNull();
        // The secret marker sits in header values in the samples; elsewhere (a service name, a malformed endpoint)
        // it is an ordinary value and may be quoted.
        final boolean secretOnlyWhereSecret = env.entrySet().stream()
                .filter(e -> e.getValue().contains("s3cr3t"))
                .allMatch(e -> e.getKey().endsWith("_HEADERS"));
        for (String line : r.problems()) {
            assertOneLine(line, env);
            if (secretOnlyWhereSecret) {
                assertThat(line)
                        .as("header values and user info are never shown")
                        .doesNotContain("s3cr3t");
            }
        }
    }

    // ------------------------------------------------------------------ glob

    @Provide
    Arbitrary<String> globs() {
        return Arbitraries.strings().withChars("ab.*").ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("ab.").ofMaxLength(14);
    }

    /** The linear matcher agrees with the regular expression it replaced, on inputs small enough for the latter. */
    @Property
    void globMatchesLikeTheRegularExpression(@ForAll("globs") String glob, @ForAll("names") String name) {
        final StringBuilder re = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            re.append(ch == '*' ? ".*" : Pattern.quote(String.valueOf(ch)));
        }
        assertThat(Glob.of(glob).matches(name))
                .as("%s against %s", glob, name)
                .isEqualTo(Pattern.compile(re.toString()).matcher(name).matches());
    }
}
