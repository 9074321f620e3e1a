package io.hotpath.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.optimize.Optimizer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OptimizerJsonTest {
    @Test
    @SuppressWarnings("unchecked")
    void tunablesAndAuditAreValidJson() {
        final Optimizer.Report report = Fixtures.optimizerReport("site \"q\"");
        final StringBuilder sb = new StringBuilder();
        final JsonWriter w = new JsonWriter(sb);
        w.beginObject();
        OptimizerJson.write(w, report);
        w.endObject();
        final Map<String, Object> root = (Map<String, Object>) MiniJson.parse(sb.toString());
        final Map<String, Object> opt = (Map<String, Object>) root.get("optimizer");
        assertThat(opt.get("mode")).isEqualTo("advise");
        final Map<String, Object> t = ((List<Map<String, Object>>) opt.get("tunables")).get(0);
        assertThat(t.get("name")).isEqualTo("pool.core:site \"q\"");
        assertThat(((Number) t.get("current")).longValue()).isEqualTo(2);
        assertThat(((Number) t.get("original")).longValue()).isEqualTo(1);
        assertThat(t.get("value_from")).isEqualTo("optimizer");
        final Map<String, Object> e = ((List<Map<String, Object>>) opt.get("audit")).get(0);
        assertThat(e.get("action")).isEqualTo("change");
        assertThat(((Number) e.get("from")).longValue()).isEqualTo(1);
        assertThat(((Number) e.get("to")).longValue()).isEqualTo(2);
        assertThat(((Number) e.get("time_ms")).longValue()).isEqualTo(42);
    }
}
