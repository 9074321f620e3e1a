package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** The reference application's own counts, from its {@code GROUND-TRUTH {json}} stdout line. */
public record GroundTruth(Map<String, Object> json) {
    public static GroundTruth of(Launch.Result r) {
        final String line = r.stdout()
                .lines()
                .filter(l -> l.startsWith("GROUND-TRUTH "))
                .findFirst()
                .orElse(null);
        assertThat(line).as("ground truth line\n" + r.describe()).isNotNull();
        return new GroundTruth(Json.object(line.substring("GROUND-TRUTH ".length())));
    }

    public long get(String field) {
        final Object v = json.get(field);
        assertThat(v).as("ground truth field " + field).isNotNull();
        return ((Number) v).longValue();
    }

    public boolean invariantsOk() {
        return Boolean.TRUE.equals(json.get("invariantsOk"));
    }
}
