package io.hotpath.bootstrap.jdk;

import static io.hotpath.bootstrap.jdk.Counters.assertCounts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.bootstrap.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TrackedExecutorsTest {
    private final List<ExecutorService> executors = new ArrayList<>();
    private final AtomicInteger threadsMade = new AtomicInteger();
    private final ThreadFactory factory = r -> {
        threadsMade.incrementAndGet();
        final Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };
    private Probe probe;

    @BeforeEach
    void registerProbe() {
        probe = Counters.executorProbe("executors");
    }

    @AfterEach
    void stop() {
        executors.forEach(ExecutorService::shutdownNow);
    }

    private <E extends ExecutorService> E keep(E e) {
        executors.add(e);
        return e;
    }

    private static void assertSameConfiguration(ThreadPoolExecutor tracked, ThreadPoolExecutor jdk) {
        try {
            assertThat(tracked.getCorePoolSize()).isEqualTo(jdk.getCorePoolSize());
            assertThat(tracked.getMaximumPoolSize()).isEqualTo(jdk.getMaximumPoolSize());
            assertThat(tracked.getKeepAliveTime(TimeUnit.NANOSECONDS))
                    .isEqualTo(jdk.getKeepAliveTime(TimeUnit.NANOSECONDS));
            assertThat(tracked.getQueue().getClass()).isEqualTo(jdk.getQueue().getClass());
            assertThat(tracked.getRejectedExecutionHandler().getClass())
                    .isEqualTo(jdk.getRejectedExecutionHandler().getClass());
            assertThat(tracked.allowsCoreThreadTimeOut()).isEqualTo(jdk.allowsCoreThreadTimeOut());
        } finally {
            jdk.shutdownNow();
        }
    }

    private void runsAndCounts(ExecutorService e) throws Exception {
        assertThat(e.submit(() -> 42).get()).isEqualTo(42);
        e.shutdown();
        assertThat(e.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertCounts(probe, "calls=1 in=1 started=1 out=1");
    }

    @Test
    void fixedThreadPoolIsConfiguredLikeTheJdks() throws Exception {
        final ExecutorService e = keep(TrackedExecutors.newFixedThreadPool(3, probe.id()));
        assertThat(e).isInstanceOf(TrackedThreadPoolExecutor.class);
        assertSameConfiguration((ThreadPoolExecutor) e, (ThreadPoolExecutor) Executors.newFixedThreadPool(3));
        assertThat(((ThreadPoolExecutor) e).getQueue()).isInstanceOf(LinkedBlockingQueue.class);
        assertThat(((TrackedThreadPoolExecutor) e).hotpathProbeId()).isEqualTo(probe.id());
        runsAndCounts(e);
        assertThatThrownBy(() -> TrackedExecutors.newFixedThreadPool(0, probe.id()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fixedThreadPoolUsesTheGivenThreadFactory() throws Exception {
        final ExecutorService e = keep(TrackedExecutors.newFixedThreadPool(2, factory, probe.id()));
        assertSameConfiguration((ThreadPoolExecutor) e, (ThreadPoolExecutor) Executors.newFixedThreadPool(2, factory));
        threadsMade.set(0);
        runsAndCounts(e);
        assertThat(threadsMade.get()).isEqualTo(1);
    }

    @Test
    void cachedThreadPoolIsConfiguredLikeTheJdks() throws Exception {
        final ExecutorService e = keep(TrackedExecutors.newCachedThreadPool(probe.id()));
        assertSameConfiguration((ThreadPoolExecutor) e, (ThreadPoolExecutor) Executors.newCachedThreadPool());
        assertThat(((ThreadPoolExecutor) e).getQueue()).isInstanceOf(SynchronousQueue.class);
        runsAndCounts(e);
    }

    @Test
    void cachedThreadPoolUsesTheGivenThreadFactory() throws Exception {
        final ExecutorService e = keep(TrackedExecutors.newCachedThreadPool(factory, probe.id()));
        assertSameConfiguration((ThreadPoolExecutor) e, (ThreadPoolExecutor) Executors.newCachedThreadPool(factory));
        threadsMade.set(0);
        runsAndCounts(e);
        assertThat(threadsMade.get()).isEqualTo(1);
    }

    @Test
    void singleThreadExecutorCannotBeReconfigured() throws Exception {
        final ExecutorService e = keep(TrackedExecutors.newSingleThreadExecutor(probe.id()));
        assertThat(e).isNotInstanceOf(ThreadPoolExecutor.class);
        runsAndCounts(e);
    }

    @Test
    void singleThreadExecutorUsesTheGivenThreadFactory() throws Exception {
        final ExecutorService e = keep(TrackedExecutors.newSingleThreadExecutor(factory, probe.id()));
        assertThat(e).isNotInstanceOf(ThreadPoolExecutor.class);
        runsAndCounts(e);
        assertThat(threadsMade.get()).isEqualTo(1);
        assertThatThrownBy(() -> TrackedExecutors.newSingleThreadExecutor(null, probe.id()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void scheduledThreadPoolIsConfiguredLikeTheJdks() throws Exception {
        final ScheduledExecutorService e = keep(TrackedExecutors.newScheduledThreadPool(2, probe.id()));
        assertThat(e).isInstanceOf(TrackedScheduledThreadPoolExecutor.class);
        assertSameConfiguration(
                (ScheduledThreadPoolExecutor) e, (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(2));
        runsAndCounts(e);
    }

    @Test
    void scheduledThreadPoolUsesTheGivenThreadFactory() throws Exception {
        final ScheduledExecutorService e = keep(TrackedExecutors.newScheduledThreadPool(2, factory, probe.id()));
        assertSameConfiguration((ScheduledThreadPoolExecutor) e, (ScheduledThreadPoolExecutor)
                Executors.newScheduledThreadPool(2, factory));
        threadsMade.set(0);
        runsAndCounts(e);
        assertThat(threadsMade.get()).isEqualTo(1);
    }

    @Test
    void singleThreadScheduledExecutorCannotBeReconfigured() throws Exception {
        final ScheduledExecutorService e = keep(TrackedExecutors.newSingleThreadScheduledExecutor(probe.id()));
        assertThat(e).isNotInstanceOf(ScheduledThreadPoolExecutor.class);
        assertThat(e.getClass())
                .isEqualTo(Executors.newSingleThreadScheduledExecutor().getClass());
        assertThat(e.schedule(() -> 7, 1, TimeUnit.MILLISECONDS).get()).isEqualTo(7);
        e.shutdown();
        assertThat(e.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertCounts(probe, "calls=1 in=1 started=1 out=1");
    }

    @Test
    void singleThreadScheduledExecutorUsesTheGivenThreadFactory() throws Exception {
        final ScheduledExecutorService e = keep(TrackedExecutors.newSingleThreadScheduledExecutor(factory, probe.id()));
        runsAndCounts(e);
        assertThat(threadsMade.get()).isEqualTo(1);
    }
}
