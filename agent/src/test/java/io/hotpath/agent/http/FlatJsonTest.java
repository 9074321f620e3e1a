package io.hotpath.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The write API's body grammar: what it takes, what it refuses with which line, and a fuzz over mutated bodies. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlatJsonTest {
    @Test
    void takesFlatObjectsOfScalars() throws Exception {
        final Map<String, Object> m =
                FlatJson.parse(" {\"a\":\"x\\u00e9\\n\",\"b\":-12.5e1,\"c\":true,\"d\":false,\"e\":null,\"f\":0} ");
        assertThat(m.get("a")).isEqualTo("xé\n");
        assertThat(m.get("b")).isEqualTo(new BigDecimal("-12.5e1"));
        assertThat(m.get("c")).isEqualTo(Boolean.TRUE);
        assertThat(m.get("d")).isEqualTo(Boolean.FALSE);
        assertThat(m.get("e")).isSameAs(FlatJson.NULL);
        assertThat(m.get("f")).isEqualTo(BigDecimal.ZERO);
        assertThat(FlatJson.parse("{}")).isEmpty();
    }

    @Test
    void refusesWhatIsNotAFlatObjectWithOneLineSayingWhere() {
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":{}}"))
                .hasMessage("expected a string, number, true, false or null (nested objects and arrays are not taken)"
                        + " at offset 5, found '{'");
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":1,\"a\":2}")).hasMessage("member \"a\" appears twice");
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":01}")).hasMessage("expected ',' or '}' at offset 6, found '1'");
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":1,}"))
                .hasMessage("expected a member name in double quotes at offset 7, found '}'");
        assertThatThrownBy(() -> FlatJson.parse("{} x"))
                .hasMessage("expected text after the object at offset 3, found 'x'");
        assertThatThrownBy(() -> FlatJson.parse("[1]")).hasMessage("expected '{' at offset 0, found '['");
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":\"\u0001\"}"))
                .hasMessage("control character U+0001 in a string at offset 6 (escape it)");
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":\"\\x\"}")).hasMessageStartingWith("expected one of");
        assertThatThrownBy(() -> FlatJson.parse("")).hasMessage("expected '{' at offset 0, found the end of the body");
        assertThatThrownBy(() -> FlatJson.parse("{\"a\":" + "1".repeat(50) + "}"))
                .hasMessage("number at offset 5 is longer than 40 characters");
    }

    /** Random mutations of valid bodies: each parses or fails with BadJson, never anything else, and quickly. */
    @Test
    void fuzzedBodiesParseOrFailCleanly() {
        final String[] seeds = {
            "{\"value\":64}",
            "{\"mode\":\"apply\"}",
            "{\"key\":\"hotpath.log.level\",\"value\":\"warn\"}",
            "{\"enabled\":false}",
            "{\"a\":\"\\u0041\\\\\",\"b\":-1.5e-3,\"c\":null}"
        };
        final String alphabet = "{}[]\":,\\u0123456789.eE+-truefalsn \t\n\r\u0000\u00ff\ud800";
        final SplittableRandom random = new SplittableRandom(7);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < 200_000; i++) {
            final StringBuilder b = new StringBuilder(seeds[random.nextInt(seeds.length)]);
            final int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                final int at = random.nextInt(b.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> {
                        if (at < b.length()) {
                            b.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < b.length()) {
                            b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        }
                    }
                }
            }
            try {
                FlatJson.parse(b.toString());
                parsed++;
            } catch (FlatJson.BadJson expected) {
                assertThat(expected.getMessage()).doesNotContain("\n");
                refused++;
            }
        }
        assertThat(parsed).isPositive();
        assertThat(refused).isPositive();
    }
}
