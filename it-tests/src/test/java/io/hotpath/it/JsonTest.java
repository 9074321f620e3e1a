package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class JsonTest {
    @Test
    void objectsAreOrderedMapsWholeNumbersLongsOthersDoubles() {
        final Map<String, Object> o = Json.object("{\"b\": 1, \"a\": [2.5, \"x\", null, true], \"c\": {\"d\": -7}}");
        assertThat(o.keySet()).containsExactly("b", "a", "c");
        assertThat(o.get("b")).isEqualTo(1L);
        assertThat(o.get("a")).isEqualTo(java.util.Arrays.asList(2.5, "x", null, true));
        assertThat(o.get("c")).isEqualTo(Map.of("d", -7L));
        assertThat(Json.parse("[]")).isEqualTo(List.of());
    }

    @Test
    void malformedInputFailsTheRead() {
        for (String bad : List.of("{\"a\": 1, \"a\": 2}", "{\"a\": 1} x", "{\"a\": NaN}", "{'a': 1}", "{\"a\": 1,}")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Json.object("[1]")).hasMessageContaining("not a JSON object");
    }
}
