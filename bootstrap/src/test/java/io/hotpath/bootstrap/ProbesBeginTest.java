package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProbesBeginTest {
    @Test
    void beginCountsACallOnTheProbeAndAFailedProbeCountsNothingMore() {
        final Probe p = Probes.register("test.probes.begin", PathKind.METHOD, Dist.bit(Dist.LATENCY));
        for (int i = 0; i < 5; i++) {
            Probes.begin(p.id());
        }
        assertThat(p.total(Slot.CALLS)).isEqualTo(5);
        p.fail(new IllegalStateException("test"));
        assertThat(Probes.begin(p.id())).isZero();
        assertThat(p.total(Slot.CALLS)).isEqualTo(5);
    }
}
