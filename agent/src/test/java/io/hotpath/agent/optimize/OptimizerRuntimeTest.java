package io.hotpath.agent.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.config.Config;
import io.hotpath.agent.optimize.rule.Rule;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OptimizerRuntimeTest {
    private static Config config(String... kv) {
        final Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return Config.resolve(null, p, Map.of());
    }

    @Test
    void offModeDoesNothingEvenWithTunablesDeclared() {
        // A null Instrumentation proves it is never touched.
        assertThat(OptimizerRuntime.install(
                        config(
                                "hotpath.optimizer.mode", "off",
                                "hotpath.tunables", "b=com.acme.X#batch:batch-size[1..8]"),
                        null,
                        false))
                .isEmpty();
    }

    @Test
    void adviseWithoutTunablesBuildsTheOptimizerButNoTransformer() {
        assertThat(OptimizerRuntime.install(
                        config("hotpath.optimizer.rules", "when latency then @flush-interval down"), null, false))
                .isEmpty();
        assertThat(OptimizerRuntime.optimizer()).isNotNull();
        assertThat(OptimizerRuntime.optimizer().mode()).isEqualTo(Mode.ADVISE);
        assertThat(OptimizerRuntime.optimizer().rules()).extracting(Rule::name).contains("rule1", "default-batch");
    }
}
