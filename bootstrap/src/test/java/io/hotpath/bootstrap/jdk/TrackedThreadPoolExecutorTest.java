package io.hotpath.bootstrap.jdk;

import static io.hotpath.bootstrap.jdk.Counters.assertCounts;
import static io.hotpath.bootstrap.jdk.Counters.distCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TrackedThreadPoolExecutorTest {
    /** Worker threads whose uncaught task exceptions are expected and kept quiet. */
    static final ThreadFactory QUIET = r -> {
        final Thread t = new Thread(r);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> {});
        return t;
    };

    private final List<ThreadPoolExecutor> pools = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private Probe probe;

    @BeforeEach
    void registerProbe() {
        probe = Counters.executorProbe("tpe");
    }

    @AfterEach
    void stopPools() {
        release.countDown();
        pools.forEach(ThreadPoolExecutor::shutdownNow);
    }

    private TrackedThreadPoolExecutor pool(int threads, BlockingQueue<Runnable> queue, RejectedExecutionHandler h) {
        final TrackedThreadPoolExecutor p =
                new TrackedThreadPoolExecutor(threads, threads, 0L, TimeUnit.MILLISECONDS, queue, QUIET, h, probe.id());
        pools.add(p);
        return p;
    }

    /** A task that holds its worker until the test releases it (or interrupts it). */
    private Runnable blocker(CountDownLatch started) {
        return () -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** {@code p} with its one worker busy on a {@link #blocker} until the test releases it. */
    private TrackedThreadPoolExecutor busy(TrackedThreadPoolExecutor p) throws InterruptedException {
        final CountDownLatch started = new CountDownLatch(1);
        p.execute(blocker(started));
        started.await();
        return p;
    }

    /** Shuts {@code p} down and waits until every task ran (also for the scheduled pool's test). */
    static void finish(ThreadPoolExecutor p) throws InterruptedException {
        p.shutdown();
        assertThat(p.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * What every pool's counts satisfy at rest: each call was accepted or refused, each accepted task ran, was removed
     * or still waits, and each started task ended (also for the scheduled pool's test).
     */
    static void assertIdentities(Probe probe, ThreadPoolExecutor p) {
        assertThat(probe.total(Slot.CALLS) + probe.total(Slot.RERUNS))
                .isEqualTo(probe.total(Slot.IN) + probe.total(Slot.DROPPED) + probe.total(Slot.CALLER_RAN));
        assertThat(probe.total(Slot.IN))
                .isEqualTo(probe.total(Slot.OUT)
                        + probe.total(Slot.REMOVED)
                        + p.getQueue().size());
        assertThat(probe.total(Slot.STARTED)).isEqualTo(probe.total(Slot.OUT));
    }

    @Test
    void reportsItsProbeAndIsTracked() {
        final TrackedThreadPoolExecutor p = pool(1, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
        assertThat(p.hotpathProbeId()).isEqualTo(probe.id());
        final List<Object> seen = new ArrayList<>();
        probe.forEachInstance(seen::add);
        assertThat(seen).containsExactly(p);
    }

    @Test
    void everyConstructorBuildsTheSamePoolAsTheJdk() {
        final LinkedBlockingQueue<Runnable> q = new LinkedBlockingQueue<>();
        final TrackedThreadPoolExecutor a = new TrackedThreadPoolExecutor(1, 2, 3, TimeUnit.SECONDS, q, probe.id());
        final TrackedThreadPoolExecutor b =
                new TrackedThreadPoolExecutor(1, 2, 3, TimeUnit.SECONDS, q, QUIET, probe.id());
        final RejectedExecutionHandler discard = new ThreadPoolExecutor.DiscardPolicy();
        final TrackedThreadPoolExecutor c =
                new TrackedThreadPoolExecutor(1, 2, 3, TimeUnit.SECONDS, q, discard, probe.id());
        final TrackedThreadPoolExecutor d =
                new TrackedThreadPoolExecutor(1, 2, 3, TimeUnit.SECONDS, q, QUIET, discard, probe.id());
        for (TrackedThreadPoolExecutor p : List.of(a, b, c, d)) {
            pools.add(p);
            assertThat(p.getCorePoolSize()).isEqualTo(1);
            assertThat(p.getMaximumPoolSize()).isEqualTo(2);
            assertThat(p.getKeepAliveTime(TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(p.getQueue()).isSameAs(q);
        }
        assertThat(a.getRejectedExecutionHandler()).isInstanceOf(ThreadPoolExecutor.AbortPolicy.class);
        assertThat(b.getThreadFactory()).isSameAs(QUIET);
        assertThat(c.getRejectedExecutionHandler()).isSameAs(discard);
        assertThat(d.getRejectedExecutionHandler()).isSameAs(discard);
        // The JDK's argument checks, unchanged.
        assertThatThrownBy(() -> new TrackedThreadPoolExecutor(2, 1, 0, TimeUnit.SECONDS, q, probe.id()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrackedThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, null, probe.id()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TrackedThreadPoolExecutor(
                        1, 1, 0, TimeUnit.SECONDS, q, (RejectedExecutionHandler) null, probe.id()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void executedTasksAreCountedAndTimedOnce() throws Exception {
        final TrackedThreadPoolExecutor p = pool(2, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
        final AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 100; i++) {
            p.execute(ran::incrementAndGet);
        }
        finish(p);
        assertThat(ran.get()).isEqualTo(100);
        assertCounts(probe, "calls=100 in=100 started=100 out=100");
        assertThat(distCount(probe, Dist.LATENCY)).isEqualTo(100); // every run is sampled by default
        assertThat(distCount(probe, Dist.WAIT)).isBetween(1L, 100L);
    }

    @Test
    void submitAndInvokeAllGoThroughExecuteOnce() throws Exception {
        final TrackedThreadPoolExecutor p = pool(2, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
        final Callable<Integer> one = () -> 1;
        assertThat(p.submit(() -> {}).get()).isNull();
        assertThat(p.submit(() -> {}, "x").get()).isEqualTo("x");
        assertThat(p.submit(one).get()).isEqualTo(1);
        assertThat(p.invokeAll(List.of(one, one, one))).hasSize(3);
        finish(p);
        assertCounts(probe, "calls=6 in=6 started=6 out=6");
    }

    @Test
    void invokeAnyKeepsTheIdentities() throws Exception {
        final TrackedThreadPoolExecutor p = pool(2, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
        final Callable<Integer> one = () -> 1;
        assertThat(p.invokeAny(List.of(one, one, one))).isEqualTo(1);
        finish(p);
        assertThat(probe.total(Slot.CALLS)).isBetween(1L, 3L);
        assertIdentities(probe, p);
    }

    @Test
    void tasksThatThrowOrFailTheirFutureAreErrors() throws Exception {
        final TrackedThreadPoolExecutor p = pool(1, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
        p.execute(() -> {
            throw new IllegalStateException("task failure");
        });
        final Future<?> failed = p.submit((Callable<Object>) () -> {
            throw new java.io.IOException("task failure");
        });
        final Future<?> fine = p.submit(() -> {});
        fine.get();
        assertThatThrownBy(failed::get).hasCauseInstanceOf(java.io.IOException.class);
        finish(p);
        assertCounts(probe, "calls=3 in=3 started=3 out=3 errors=2");
    }

    @Test
    void abortPolicyRejectionIsDropped() throws Exception {
        final TrackedThreadPoolExecutor p =
                busy(pool(1, new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.AbortPolicy()));
        p.execute(() -> {});
        assertThatThrownBy(() -> p.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
        assertCounts(probe, "calls=3 in=2 dropped=1 started=1");
        release.countDown();
        finish(p);
        assertCounts(probe, "calls=3 in=2 dropped=1 started=2 out=2");
    }

    @Test
    void callerRunsPolicyRejectionIsCallerRanNotDropped() throws Exception {
        final TrackedThreadPoolExecutor p =
                busy(pool(1, new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.CallerRunsPolicy()));
        p.execute(() -> {});
        final AtomicReference<Thread> ranOn = new AtomicReference<>();
        p.execute(() -> ranOn.set(Thread.currentThread()));
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        release.countDown();
        finish(p);
        assertCounts(probe, "calls=3 in=2 caller_ran=1 started=2 out=2");
    }

    @Test
    void subclassOfCallerRunsPolicyIsCallerRan() throws Exception {
        final AtomicLong seen = new AtomicLong();
        final TrackedThreadPoolExecutor p =
                busy(pool(1, new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.CallerRunsPolicy() {
                    @Override
                    public void rejectedExecution(Runnable r, ThreadPoolExecutor e) {
                        seen.incrementAndGet();
                        super.rejectedExecution(r, e);
                    }
                }));
        p.execute(() -> {});
        final AtomicReference<Thread> ranOn = new AtomicReference<>();
        p.execute(() -> ranOn.set(Thread.currentThread()));
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        assertThat(seen.get()).isEqualTo(1);
        release.countDown();
        finish(p);
        assertCounts(probe, "calls=3 in=2 caller_ran=1 started=2 out=2");
    }

    @Test
    void callerRunsTaskThatThrowsIsStillCallerRan() throws Exception {
        final TrackedThreadPoolExecutor p =
                busy(pool(1, new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.CallerRunsPolicy()));
        p.execute(() -> {});
        assertThatThrownBy(() -> p.execute(() -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        release.countDown();
        finish(p);
        assertCounts(probe, "calls=3 in=2 caller_ran=1 started=2 out=2");
    }

    @Test
    void callerRunsTaskThatSubmitsAgainIsCountedCorrectly() throws Exception {
        final TrackedThreadPoolExecutor p =
                busy(pool(1, new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.CallerRunsPolicy()));
        p.execute(() -> {});
        // Rejected, runs on the caller, and inside it submits twice more: both rejected and run on the caller too,
        // each rejection consumed by its own execute call.
        p.execute(() -> {
            p.execute(() -> {});
            p.execute(() -> {});
        });
        release.countDown();
        finish(p);
        assertCounts(probe, "calls=5 in=2 caller_ran=3 started=2 out=2");
    }

    @Test
    void discardPolicyRejectionIsDropped() throws Exception {
        final TrackedThreadPoolExecutor p =
                busy(pool(1, new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.DiscardPolicy()));
        p.execute(() -> {});
        p.execute(() -> {});
        release.countDown();
        finish(p);
        assertCounts(probe, "calls=3 in=2 dropped=1 started=2 out=2");
    }

    @Test
    void discardOldestPolicyCountsTheDiscardedTaskAsRemoved() throws Exception {
        final TrackedThreadPoolExecutor p =
                busy(pool(1, new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.DiscardOldestPolicy()));
        final AtomicInteger ran = new AtomicInteger();
        p.execute(() -> ran.addAndGet(1)); // queued, then discarded
        p.execute(() -> ran.addAndGet(10)); // rejected, discards the oldest, executes again: accepted
        release.countDown();
        finish(p);
        assertThat(ran.get()).isEqualTo(10);
        assertCounts(probe, "calls=4 in=3 dropped=1 removed=1 started=2 out=2");
    }

    @Test
    void handlerAccessorsShowTheApplicationsHandlerAndCountAfterAChange() throws Exception {
        final RejectedExecutionHandler abort = new ThreadPoolExecutor.AbortPolicy();
        final TrackedThreadPoolExecutor p = pool(1, new ArrayBlockingQueue<>(1), abort);
        assertThat(p.getRejectedExecutionHandler()).isSameAs(abort);
        final RejectedExecutionHandler discard = new ThreadPoolExecutor.DiscardPolicy();
        p.setRejectedExecutionHandler(discard);
        assertThat(p.getRejectedExecutionHandler()).isSameAs(discard);
        assertThatThrownBy(() -> p.setRejectedExecutionHandler(null)).isInstanceOf(NullPointerException.class);
        p.shutdown();
        p.execute(() -> {}); // discarded silently
        assertCounts(probe, "calls=1 dropped=1");
    }

    @Test
    void defaultHandlerAborts() {
        final TrackedThreadPoolExecutor p =
                new TrackedThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), probe.id());
        pools.add(p);
        p.shutdown();
        assertThatThrownBy(() -> p.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
        assertCounts(probe, "calls=1 dropped=1");
    }

    @Test
    void nullTaskIsTheJdksExceptionAndCountsNothing() {
        final TrackedThreadPoolExecutor p = pool(1, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
        assertThatThrownBy(() -> p.execute(null)).isInstanceOf(NullPointerException.class);
        assertCounts(probe, "");
    }

    @Test
    void removePurgeAndShutdownNowCountRemoved() throws Exception {
        final TrackedThreadPoolExecutor p =
                busy(pool(1, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy()));
        final Runnable r1 = () -> {};
        final Runnable r2 = () -> {};
        p.execute(r1);
        p.execute(r2);
        final Future<?> f3 = p.submit(() -> {});
        final Future<?> f4 = p.submit(() -> {});
        assertThat(p.remove(r1)).isTrue();
        assertThat(p.remove(r1)).isFalse();
        assertThat(f3.cancel(false)).isTrue();
        p.purge();
        assertThat(p.getQueue()).hasSize(2);
        assertCounts(probe, "calls=5 in=5 removed=2 started=1");
        final List<Runnable> notRun = p.shutdownNow();
        assertThat(notRun).containsExactly(r2, (Runnable) f4);
        assertThat(p.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertCounts(probe, "calls=5 in=5 removed=4 started=1 out=1");
    }

    /**
     * While the pool runs, purge scans the queue once (a snapshot) and removes only the cancelled futures: no extra
     * locked scan for a task that is never there. After shutdown it also lets the pool check for termination.
     */
    @Test
    void purgeOfARunningPoolRemovesOnlyTheCancelledTasks() throws Exception {
        final AtomicInteger removeCalls = new AtomicInteger();
        final AtomicInteger snapshots = new AtomicInteger();
        final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean remove(Object o) {
                removeCalls.incrementAndGet();
                return super.remove(o);
            }

            @Override
            public Object[] toArray() {
                snapshots.incrementAndGet();
                return super.toArray();
            }
        };
        final TrackedThreadPoolExecutor p = busy(pool(1, queue, new ThreadPoolExecutor.AbortPolicy()));
        final Future<?> a = p.submit(() -> {});
        final Future<?> b = p.submit(() -> {});
        p.submit(() -> {});
        assertThat(a.cancel(false)).isTrue();
        assertThat(b.cancel(false)).isTrue();
        p.purge();
        assertThat(snapshots.get()).isEqualTo(1);
        assertThat(removeCalls.get())
                .as("one remove per cancelled task, nothing else")
                .isEqualTo(2);
        assertThat(p.getQueue()).hasSize(1);
        assertThat(probe.total(Slot.REMOVED)).isEqualTo(2);
    }

    @Test
    void queuedTasksRecordTheirWait() throws Exception {
        final TrackedThreadPoolExecutor p =
                busy(pool(1, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy()));
        for (int i = 0; i < 3; i++) {
            p.execute(() -> {});
        }
        Thread.sleep(5);
        release.countDown();
        finish(p);
        assertCounts(probe, "calls=4 in=4 started=4 out=4");
        assertThat(distCount(probe, Dist.WAIT)).isEqualTo(4);
        assertThat(distCount(probe, Dist.LATENCY)).isEqualTo(4);
    }

    /**
     * execute() queues the task, sees the pool shut down meanwhile, takes it back out with remove() and rejects it:
     * counted as accepted and removed, so both identities hold.
     */
    @Test
    void taskTakenBackAfterAConcurrentShutdownIsAcceptedAndRemoved() {
        final ShutdownOnOffer q = new ShutdownOnOffer();
        final TrackedThreadPoolExecutor p = new TrackedThreadPoolExecutor(
                0, 1, 0, TimeUnit.SECONDS, q, QUIET, new ThreadPoolExecutor.AbortPolicy(), probe.id());
        pools.add(p);
        q.pool = p;
        assertThatThrownBy(() -> p.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
        assertCounts(probe, "calls=1 in=1 removed=1");
    }

    /** A work queue that shuts its pool down just before accepting a task. */
    static final class ShutdownOnOffer extends LinkedBlockingQueue<Runnable> {
        private static final long serialVersionUID = 1L;
        transient ThreadPoolExecutor pool;

        @Override
        public boolean offer(Runnable r) {
            pool.shutdown(); // lands between the pool's state check and its re-check
            return super.offer(r);
        }
    }

    @Test
    void disabledProbeStopsCountingButThePoolWorks() throws Exception {
        final TrackedThreadPoolExecutor p = pool(1, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
        probe.fail(new IllegalStateException("test fault"));
        assertThat(p.submit(() -> 5).get()).isEqualTo(5);
        finish(p);
        assertCounts(probe, "");
    }

    @Test
    void concurrentSubmittersWithCallerRunsAreCountedExactly() throws Exception {
        final TrackedThreadPoolExecutor p =
                pool(2, new ArrayBlockingQueue<>(8), new ThreadPoolExecutor.CallerRunsPolicy());
        final int submitters = 4;
        final int perSubmitter = 20_000;
        final AtomicLong ran = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    p.execute(ran::incrementAndGet);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        finish(p);
        final long n = (long) submitters * perSubmitter;
        assertThat(ran.get()).isEqualTo(n);
        assertThat(probe.total(Slot.CALLS)).isEqualTo(n);
        assertIdentities(probe, p);
        assertThat(probe.total(Slot.STARTED) + probe.total(Slot.CALLER_RAN)).isEqualTo(n);
        assertThat(probe.total(Slot.DROPPED)).isZero();
        assertThat(distCount(probe, Dist.LATENCY)).isEqualTo(probe.total(Slot.STARTED));
    }

    @Test
    void concurrentSubmittersWithAbortAreCountedExactly() throws Exception {
        final TrackedThreadPoolExecutor p = pool(2, new ArrayBlockingQueue<>(4), new ThreadPoolExecutor.AbortPolicy());
        final int submitters = 4;
        final int perSubmitter = 20_000;
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong ran = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    try {
                        p.execute(ran::incrementAndGet);
                    } catch (RejectedExecutionException e) {
                        rejected.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        finish(p);
        assertThat(probe.total(Slot.DROPPED)).isEqualTo(rejected.get());
        assertThat(probe.total(Slot.OUT)).isEqualTo(ran.get());
        assertThat(probe.total(Slot.CALLS)).isEqualTo((long) submitters * perSubmitter);
        assertIdentities(probe, p);
    }
}
