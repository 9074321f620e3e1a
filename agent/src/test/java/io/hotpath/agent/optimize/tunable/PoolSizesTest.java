package io.hotpath.agent.optimize.tunable;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PoolSizesTest {
    private static ThreadPoolExecutor pool(int core, int max) {
        return new ThreadPoolExecutor(core, max, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    }

    @Test
    void growingCoreAboveMaxSetsMaxFirst() {
        final ThreadPoolExecutor p = pool(2, 4);
        try {
            PoolSizes.resize(p, 8, 8);
            assertThat(p.getCorePoolSize()).isEqualTo(8);
            assertThat(p.getMaximumPoolSize()).isEqualTo(8);
        } finally {
            p.shutdownNow();
        }
    }

    @Test
    void shrinkingMaxBelowCoreSetsCoreFirst() {
        final ThreadPoolExecutor p = pool(8, 16);
        try {
            PoolSizes.resize(p, 2, 3);
            assertThat(p.getCorePoolSize()).isEqualTo(2);
            assertThat(p.getMaximumPoolSize()).isEqualTo(3);
            PoolSizes.resize(p, 5, 2); // max below core is raised to core
            assertThat(p.getCorePoolSize()).isEqualTo(5);
            assertThat(p.getMaximumPoolSize()).isEqualTo(5);
        } finally {
            p.shutdownNow();
        }
    }

    @Test
    void scheduledPoolsGetOnlyTheirCore() {
        final ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(1);
        try {
            PoolSizes.resize(p, 4, 4);
            assertThat(p.getCorePoolSize()).isEqualTo(4);
            assertThat(p.getMaximumPoolSize()).isEqualTo(Integer.MAX_VALUE);
        } finally {
            p.shutdownNow();
        }
    }

    @Test
    void poolTunableSetsEveryPoolAndRestoresEachOwnSizes() {
        final ThreadPoolExecutor a = pool(1, 1);
        final ThreadPoolExecutor b = pool(2, 6);
        try {
            final PoolSizeTunable core = new PoolSizeTunable("site", PoolSizeTunable.Size.CORE, () -> List.of(a, b));
            assertThat(core.name()).isEqualTo("pool.core:site");
            assertThat(core.role()).isEqualTo(Role.CONCURRENCY);
            assertThat(core.current()).hasValue(1);
            core.apply(4);
            assertThat(a.getCorePoolSize()).isEqualTo(4);
            assertThat(a.getMaximumPoolSize()).isEqualTo(4);
            assertThat(b.getCorePoolSize()).isEqualTo(4);
            assertThat(b.getMaximumPoolSize()).isEqualTo(6);
            assertThat(core.overridden()).isTrue();
            core.restore();
            assertThat(a.getCorePoolSize()).isEqualTo(1);
            assertThat(a.getMaximumPoolSize()).isEqualTo(1);
            assertThat(b.getCorePoolSize()).isEqualTo(2);
            assertThat(b.getMaximumPoolSize()).isEqualTo(6);

            final PoolSizeTunable max = new PoolSizeTunable("site", PoolSizeTunable.Size.MAX, () -> List.of(b));
            max.apply(1);
            assertThat(b.getCorePoolSize()).isEqualTo(1);
            assertThat(b.getMaximumPoolSize()).isEqualTo(1);
            max.apply(1000); // clamped to the bound
            assertThat(b.getMaximumPoolSize()).isEqualTo(PoolSizeTunable.MAX_THREADS);
        } finally {
            a.shutdownNow();
            b.shutdownNow();
        }
    }
}
