package io.hotpath.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.optimize.AuditEntry;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.agent.optimize.whatif.Outcome;
import io.hotpath.agent.optimize.whatif.Prediction;
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
        final Map<String, Object> root = (Map<String, Object>) Json.parse(sb.toString());
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

    @Test
    @SuppressWarnings("unchecked")
    void estimatesAndPredictedBesideObservedLeaveUnknownFiguresOut() {
        final Prediction batch = new Prediction(20_000, 10_000, Double.NaN, "batch amortisation");
        final Outcome estimate = Outcome.predicted(batch);
        final Optimizer.Report report = new Optimizer.Report(
                "apply",
                List.of(),
                List.of(
                        new AuditEntry(1, "change", "batch", 1L, 2L, "apply", "r", estimate),
                        new AuditEntry(2, "accept", "batch", 1L, 2L, "apply", "v", estimate.observed(16_000, 12.5, 3))),
                2,
                List.of(new Optimizer.Estimate("batch", "queue_depth", "com.acme.Batcher.inbox", 1, 2, batch)));
        final StringBuilder sb = new StringBuilder();
        final JsonWriter w = new JsonWriter(sb);
        w.beginObject();
        OptimizerJson.write(w, report);
        w.endObject();
        final Map<String, Object> opt =
                (Map<String, Object>) ((Map<String, Object>) Json.parse(sb.toString())).get("optimizer");
        final List<Map<String, Object>> audit = (List<Map<String, Object>>) opt.get("audit");
        final Map<String, Object> change = (Map<String, Object>) audit.get(0).get("what_if");
        assertThat(change)
                .containsEntry("model", "batch amortisation")
                .doesNotContainKeys("predicted_p99_ms", "observed_throughput_per_s");
        assertThat(((Number) change.get("predicted_throughput_per_s")).doubleValue())
                .isEqualTo(20_000);
        final Map<String, Object> seen = (Map<String, Object>) audit.get(1).get("what_if");
        assertThat(((Number) seen.get("observed_throughput_per_s")).doubleValue())
                .isEqualTo(16_000);
        assertThat(((Number) seen.get("observed_p99_ms")).doubleValue()).isEqualTo(12.5);
        assertThat(((Number) seen.get("observed_windows")).intValue()).isEqualTo(3);
        // 20000 / 16000 - 1 = +0.25: the estimate was 25 % high.
        assertThat(((Number) seen.get("throughput_error")).doubleValue()).isEqualTo(0.25);
        final Map<String, Object> e = ((List<Map<String, Object>>) opt.get("estimates")).get(0);
        assertThat(e)
                .containsEntry("tunable", "batch")
                .containsEntry("finding_kind", "queue_depth")
                .containsEntry("probe", "com.acme.Batcher.inbox")
                .doesNotContainKey("p99_ms");
        assertThat(((Number) e.get("throughput_per_s")).doubleValue()).isEqualTo(20_000);
    }
}
