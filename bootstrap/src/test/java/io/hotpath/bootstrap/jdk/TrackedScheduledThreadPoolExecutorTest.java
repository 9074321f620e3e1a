package io.hotpath.bootstrap.jdk;

import static io.hotpath.bootstrap.jdk.Counters.assertCounts;
import static io.hotpath.bootstrap.jdk.Counters.distCount;
import static io.hotpath.bootstrap.jdk.TrackedThreadPoolExecutorTest.assertIdentities;
import static io.hotpath.bootstrap.jdk.TrackedThreadPoolExecutorTest.finish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TrackedScheduledThreadPoolExecutorTest {
    private final List<ScheduledThreadPoolExecutor> pools = new ArrayList<>();
    private Probe probe;

    @BeforeEach
    void registerProbe() {
        probe = Counters.executorProbe("stpe");
    }

    @AfterEach
    void stopPools() {
        pools.forEach(ScheduledThreadPoolExecutor::shutdownNow);
    }

    private TrackedScheduledThreadPoolExecutor pool(int threads) {
        final TrackedScheduledThreadPoolExecutor p =
                new TrackedScheduledThreadPoolExecutor(threads, TrackedThreadPoolExecutorTest.QUIET, probe.id());
        pools.add(p);
        return p;
    }

    @Test
    void everyConstructorBuildsTheSamePoolAsTheJdk() {
        final RejectedExecutionHandler discard = new ThreadPoolExecutor.DiscardPolicy();
        final TrackedScheduledThreadPoolExecutor a = new TrackedScheduledThreadPoolExecutor(2, probe.id());
        final TrackedScheduledThreadPoolExecutor b =
                new TrackedScheduledThreadPoolExecutor(2, TrackedThreadPoolExecutorTest.QUIET, probe.id());
        final TrackedScheduledThreadPoolExecutor c = new TrackedScheduledThreadPoolExecutor(2, discard, probe.id());
        final TrackedScheduledThreadPoolExecutor d =
                new TrackedScheduledThreadPoolExecutor(2, TrackedThreadPoolExecutorTest.QUIET, discard, probe.id());
        final ScheduledThreadPoolExecutor jdk = new ScheduledThreadPoolExecutor(2);
        pools.add(jdk);
        for (TrackedScheduledThreadPoolExecutor p : List.of(a, b, c, d)) {
            pools.add(p);
            assertThat(p.getCorePoolSize()).isEqualTo(jdk.getCorePoolSize());
            assertThat(p.getMaximumPoolSize()).isEqualTo(jdk.getMaximumPoolSize());
            assertThat(p.getKeepAliveTime(TimeUnit.NANOSECONDS)).isEqualTo(jdk.getKeepAliveTime(TimeUnit.NANOSECONDS));
            assertThat(p.getQueue().getClass()).isEqualTo(jdk.getQueue().getClass());
            assertThat(p.hotpathProbeId()).isEqualTo(probe.id());
        }
        assertThat(a.getRejectedExecutionHandler()).isInstanceOf(ThreadPoolExecutor.AbortPolicy.class);
        assertThat(d.getRejectedExecutionHandler()).isSameAs(discard);
        assertThatThrownBy(() -> new TrackedScheduledThreadPoolExecutor(-1, probe.id()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneShotSchedulingCallsCountOnceEach() throws Exception {
        final TrackedScheduledThreadPoolExecutor p = pool(2);
        final Callable<Integer> one = () -> 1;
        p.schedule(() -> {}, 0, TimeUnit.MILLISECONDS).get();
        assertThat(p.schedule(one, 1, TimeUnit.MILLISECONDS).get()).isEqualTo(1);
        p.execute(() -> {});
        p.submit(() -> {}).get();
        p.submit(() -> {}, "x").get();
        assertThat(p.submit(one).get()).isEqualTo(1);
        assertThat(p.invokeAll(List.of(one, one))).hasSize(2);
        finish(p);
        assertCounts(probe, "calls=8 in=8 started=8 out=8");
        assertThat(distCount(probe, Dist.WAIT)).isEqualTo(8); // lateness of each (sampled) run
        assertThat(distCount(probe, Dist.LATENCY)).isEqualTo(8);
    }

    @Test
    void nullArgumentsAreTheJdksExceptionsAndCountNothing() {
        final TrackedScheduledThreadPoolExecutor p = pool(1);
        assertThatThrownBy(() -> p.schedule((Runnable) null, 1, TimeUnit.SECONDS))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.schedule(() -> 1, 1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> p.scheduleAtFixedRate(() -> {}, 0, 0, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.scheduleWithFixedDelay(() -> {}, 0, -1, TimeUnit.SECONDS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.execute(null)).isInstanceOf(NullPointerException.class);
        assertCounts(probe, "");
    }

    @Test
    void periodicRunsAreCountedPerRunAndPutBacksAsEntries() throws Exception {
        // One worker, and the fifth run cancels its own task. A cancel from outside, or from a next run on a second
        // worker, could land between a run's put-back and the end of that run (its afterExecute), the one race the
        // class documents as not counted exactly; from inside the last run on the only worker it cannot.
        final TrackedScheduledThreadPoolExecutor p = pool(1);
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch five = new CountDownLatch(5);
        final CompletableFuture<ScheduledFuture<?>> self = new CompletableFuture<>();
        final ScheduledFuture<?> f = p.scheduleAtFixedRate(
                () -> {
                    if (runs.incrementAndGet() == 5) {
                        self.join().cancel(false);
                    }
                    five.countDown();
                },
                0,
                1,
                TimeUnit.MILLISECONDS);
        self.complete(f);
        five.await();
        finish(p);
        assertThat(probe.total(Slot.STARTED)).isGreaterThanOrEqualTo(runs.get());
        assertThat(probe.total(Slot.DROPPED)).isZero();
        assertThat(probe.total(Slot.ERRORS)).isZero();
        assertIdentities(probe, p);
    }

    @Test
    void periodicReRunsAreCountedApartFromCalls() throws Exception {
        final TrackedScheduledThreadPoolExecutor p = pool(1);
        final AtomicInteger runs = new AtomicInteger();
        final long start = System.nanoTime();
        p.scheduleAtFixedRate(runs::incrementAndGet, 0, 10, TimeUnit.MILLISECONDS);
        Thread.sleep(1_000);
        finish(p);
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // One scheduling call; every run put the task back, one re-run each, whatever the machine's pace. About 100 at
        // 10 ms for 1 s on a quiet machine, fewer when runs start late; at most one per 10 ms of the time the pool
        // really ran (a busy machine oversleeps, and a fixed-rate task catches up on the runs it missed).
        assertThat(probe.total(Slot.CALLS)).isEqualTo(1);
        // A run still going at shutdown is not put back.
        assertThat(probe.total(Slot.RERUNS)).isBetween(runs.get() - 1L, (long) runs.get());
        assertThat(probe.total(Slot.RERUNS)).isBetween(40L, elapsedMs / 10 + 2);
        assertThat(probe.total(Slot.IN)).isEqualTo(1 + probe.total(Slot.RERUNS));
        // A run taken by the worker as shutdown begins is started (the pool's beforeExecute ran) but its task cancels
        // itself instead of running (ScheduledFutureTask.run checks the run state first): one more start than runs.
        assertThat(probe.total(Slot.STARTED)).isBetween((long) runs.get(), runs.get() + 1L);
        assertIdentities(probe, p);
    }

    @Test
    void periodicTaskWaitingAtShutdownIsCountedRemoved() throws Exception {
        final TrackedScheduledThreadPoolExecutor p = pool(1);
        p.scheduleWithFixedDelay(() -> {}, 0, 1, TimeUnit.HOURS);
        Counters.awaitTotal(probe, Slot.RERUNS, 1); // the first run finished and was put back
        finish(p); // the default policy drops periodic tasks at shutdown
        assertCounts(probe, "calls=1 reruns=1 in=2 started=1 out=1 removed=1");
    }

    @Test
    void periodicTaskKeptAfterShutdownThenDroppedByPolicyIsCountedRemoved() throws Exception {
        final TrackedScheduledThreadPoolExecutor p = pool(1);
        p.setContinueExistingPeriodicTasksAfterShutdownPolicy(true);
        p.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.HOURS);
        p.shutdown();
        assertThat(p.getQueue()).hasSize(1);
        assertCounts(probe, "calls=1 in=1");
        p.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        assertThat(p.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertCounts(probe, "calls=1 in=1 removed=1");
    }

    @Test
    void delayedTasksDroppedByTheShutdownPolicyAreCountedRemoved() throws Exception {
        final TrackedScheduledThreadPoolExecutor p = pool(1);
        p.schedule(() -> {}, 1, TimeUnit.HOURS);
        p.schedule(() -> {}, 2, TimeUnit.HOURS);
        p.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        finish(p);
        assertCounts(probe, "calls=2 in=2 removed=2");
    }

    @Test
    void delayedTasksKeptByTheDefaultPolicyAreDroppedWhenThePolicyChanges() throws Exception {
        final TrackedScheduledThreadPoolExecutor p = pool(1);
        p.schedule(() -> {}, 1, TimeUnit.HOURS);
        p.shutdown();
        assertCounts(probe, "calls=1 in=1");
        p.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        assertThat(p.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertCounts(probe, "calls=1 in=1 removed=1");
    }

    @Test
    void cancelledTasksLeftInTheQueueAreCountedWhenShutdownRemovesThem() throws Exception {
        final TrackedScheduledThreadPoolExecutor p = pool(1);
        p.schedule(() -> {}, 1, TimeUnit.HOURS).cancel(false);
        assertThat(p.getQueue()).hasSize(1); // remove-on-cancel is off by default
        finish(p);
        assertCounts(probe, "calls=1 in=1 removed=1");
    }

    @Test
    void removeOnCancelPurgeAndShutdownNowCountRemoved() throws Exception {
        final TrackedScheduledThreadPoolExecutor p = pool(1);
        p.setRemoveOnCancelPolicy(true);
        assertThat(p.schedule(() -> {}, 1, TimeUnit.HOURS).cancel(false)).isTrue();
        assertCounts(probe, "calls=1 in=1 removed=1");
        p.setRemoveOnCancelPolicy(false);
        p.schedule(() -> {}, 1, TimeUnit.HOURS).cancel(false);
        p.schedule(() -> {}, 1, TimeUnit.HOURS).cancel(false);
        p.purge();
        assertThat(p.getQueue()).isEmpty();
        assertCounts(probe, "calls=3 in=3 removed=3");
        final ScheduledFuture<?> kept = p.schedule(() -> {}, 1, TimeUnit.HOURS);
        assertThat(p.remove((Runnable) kept)).isTrue();
        p.schedule(() -> {}, 1, TimeUnit.HOURS);
        p.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.HOURS);
        assertThat(p.shutdownNow()).hasSize(2);
        assertThat(p.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertCounts(probe, "calls=6 in=6 removed=6");
    }

    @Test
    void schedulingAfterShutdownIsDroppedUnderAnyPolicy() {
        final TrackedScheduledThreadPoolExecutor p = pool(1);
        p.shutdown();
        assertThatThrownBy(() -> p.schedule(() -> {}, 0, TimeUnit.SECONDS))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> p.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
        p.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardPolicy());
        p.scheduleAtFixedRate(() -> {}, 0, 1, TimeUnit.SECONDS);
        p.setRejectedExecutionHandler(new ThreadPoolExecutor.CallerRunsPolicy()); // does not run: shut down
        p.submit(() -> {});
        p.setRejectedExecutionHandler(new ThreadPoolExecutor.DiscardOldestPolicy());
        p.schedule(() -> 1, 0, TimeUnit.SECONDS);
        assertThat(p.getRejectedExecutionHandler()).isInstanceOf(ThreadPoolExecutor.DiscardOldestPolicy.class);
        assertCounts(probe, "calls=5 dropped=5");
    }

    @Test
    void failingPeriodicTaskIsAnErrorAndIsNotPutBack() throws Exception {
        final TrackedScheduledThreadPoolExecutor p = pool(1);
        final ScheduledFuture<?> f = p.scheduleAtFixedRate(
                () -> {
                    throw new IllegalStateException("periodic failure");
                },
                0,
                1,
                TimeUnit.MILLISECONDS);
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class);
        Counters.awaitTotal(probe, Slot.OUT, 1);
        finish(p);
        assertCounts(probe, "calls=1 in=1 started=1 out=1 errors=1");
    }

    @Test
    void manyPeriodicAndOneShotTasksKeepTheIdentities() throws Exception {
        final TrackedScheduledThreadPoolExecutor p = pool(2);
        final List<ScheduledFuture<?>> periodic = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            periodic.add(p.scheduleAtFixedRate(() -> {}, 0, 1, TimeUnit.MILLISECONDS));
            periodic.add(p.scheduleWithFixedDelay(() -> {}, 0, 1, TimeUnit.MILLISECONDS));
        }
        final List<Counters.Task> submitters = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            submitters.add(() -> {
                for (int i = 0; i < 5_000; i++) {
                    p.schedule(() -> {}, i % 3, TimeUnit.MILLISECONDS);
                }
            });
        }
        Counters.runConcurrently(submitters);
        periodic.get(0).cancel(false);
        finish(p); // drops the other periodic tasks
        assertThat(probe.total(Slot.DROPPED)).isZero();
        assertIdentities(probe, p);
    }
}
