package io.hotpath.agent.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.exporter.Severity;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AlertTest {
    @Test
    void jsonHasEveryMemberEscapedWithEvidenceSortedAndNoNonFiniteNumber() {
        final Alert a = new Alert(
                "saturation:q:critical",
                "finding",
                Severity.CRITICAL,
                "saturation",
                "com.acme.Q",
                "queue \"q\" is\nsaturated",
                null,
                0.25,
                Map.of("rate", 41_000.125, "depth", 12.0, "broken", Double.NaN),
                1_700_000_000_000L);
        assertThat(a.toJson())
                .isEqualTo("{\"source\":\"hotpath\",\"key\":\"saturation:q:critical\",\"type\":\"finding\","
                        + "\"severity\":\"critical\",\"kind\":\"saturation\",\"probe\":\"com.acme.Q\","
                        + "\"message\":\"queue \\\"q\\\" is\\nsaturated\",\"recommendation\":\"\",\"health\":0.25,"
                        + "\"time_ms\":1700000000000,\"evidence\":{\"broken\":null,\"depth\":12,\"rate\":41000.125}}");
    }
}
