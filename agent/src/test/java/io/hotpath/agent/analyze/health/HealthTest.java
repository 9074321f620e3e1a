package io.hotpath.agent.analyze.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.exporter.Severity;
import org.junit.jupiter.api.Test;

class HealthTest {
    @Test
    void bands() {
        assertThat(HealthState.of(1.0)).isEqualTo(HealthState.HEALTHY);
        assertThat(HealthState.of(0.8001)).isEqualTo(HealthState.HEALTHY);
        assertThat(HealthState.of(0.8)).isEqualTo(HealthState.DEGRADED);
        assertThat(HealthState.of(0.5001)).isEqualTo(HealthState.DEGRADED);
        assertThat(HealthState.of(0.5)).isEqualTo(HealthState.UNHEALTHY);
        assertThat(HealthState.of(0.0)).isEqualTo(HealthState.UNHEALTHY);
    }

    @Test
    void eachSeverityScoresInsideItsBandWhateverTheImpact() {
        for (double impact = 0; impact <= 1.0; impact += 0.05) {
            assertThat(HealthState.of(Health.score(Severity.INFO, impact))).isEqualTo(HealthState.HEALTHY);
            assertThat(HealthState.of(Health.score(Severity.WARNING, impact))).isEqualTo(HealthState.DEGRADED);
            assertThat(HealthState.of(Health.score(Severity.CRITICAL, impact))).isEqualTo(HealthState.UNHEALTHY);
        }
        assertThat(Health.score(Severity.WARNING, 1)).isLessThan(Health.score(Severity.WARNING, 0));
    }
}
