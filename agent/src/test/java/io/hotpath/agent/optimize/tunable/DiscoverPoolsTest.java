package io.hotpath.agent.optimize.tunable;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** discoverPools walks the probes only when some were registered, and still finds a pool registered in between. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DiscoverPoolsTest {
    @Test
    void aPoolRegisteredBetweenTwoCallsIsFoundByTheSecond() {
        final TunableRegistry registry = new TunableRegistry(List.of());
        Probes.register("discover-test.first", PathKind.EXECUTOR, Dist.bit(Dist.LATENCY));
        registry.discoverPools();
        assertThat(registry.get(PoolSizeTunable.name("discover-test.first", PoolSizeTunable.Size.CORE)))
                .isNotNull();
        assertThat(registry.get(PoolSizeTunable.name("discover-test.second", PoolSizeTunable.Size.MAX)))
                .isNull();

        registry.discoverPools(); // nothing registered since: no walk, nothing lost
        assertThat(registry.get(PoolSizeTunable.name("discover-test.first", PoolSizeTunable.Size.MAX)))
                .isNotNull();

        Probes.register("discover-test.second", PathKind.EXECUTOR, Dist.bit(Dist.LATENCY));
        Probes.register("discover-test.queue", PathKind.QUEUE, Dist.bit(Dist.LATENCY));
        registry.discoverPools();
        assertThat(registry.get(PoolSizeTunable.name("discover-test.second", PoolSizeTunable.Size.CORE)))
                .isNotNull();
        assertThat(registry.get(PoolSizeTunable.name("discover-test.second", PoolSizeTunable.Size.MAX)))
                .isNotNull();
        assertThat(registry.get(PoolSizeTunable.name("discover-test.queue", PoolSizeTunable.Size.CORE)))
                .isNull();
    }
}
