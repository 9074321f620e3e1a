package io.hotpath.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.optimize.AuditTrail;
import io.hotpath.agent.optimize.Mode;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.agent.optimize.control.GuardrailConfig;
import io.hotpath.agent.optimize.control.Objective;
import io.hotpath.agent.optimize.tunable.PoolSizeTunable;
import io.hotpath.agent.optimize.tunable.TunableRegistry;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OptimizerJsonTest {
    @Test
    @SuppressWarnings("unchecked")
    void tunablesAndAuditAreValidJson() {
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 2, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        try {
            final TunableRegistry registry = new TunableRegistry(List.of());
            registry.add(new PoolSizeTunable("site \"q\"", PoolSizeTunable.Size.CORE, () -> List.of(pool)));
            final AuditTrail audit = new AuditTrail(() -> 42L, false);
            final Optimizer o = new Optimizer(
                    Mode.ADVISE,
                    registry,
                    List.of(),
                    new Objective(100),
                    GuardrailConfig.defaults(),
                    new Random(1),
                    audit,
                    null);
            assertThat(o.set("pool.core:site \"q\"", 2, "test")).isNull();
            final StringBuilder sb = new StringBuilder();
            final JsonWriter w = new JsonWriter(sb);
            w.beginObject();
            OptimizerJson.write(w, o.report());
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
        } finally {
            pool.shutdownNow();
        }
    }
}
