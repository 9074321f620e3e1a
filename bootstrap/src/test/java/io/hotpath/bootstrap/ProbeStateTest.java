package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import io.hotpath.bootstrap.snapshot.SnapshotTaker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A probe's own state: turned off by the operator or through its module it records nothing at any entry point, on
 * again it resumes; a failed probe stays failed whatever the operator does; the reasons never clear each other.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbeStateTest {
    @AfterEach
    void modulesOn() {
        for (int m = ProbeModules.QUEUES; m <= ProbeModules.AERON; m++) {
            ProbeModules.enabled(m, true);
        }
    }

    @Test
    void operatorOffStopsEveryEntryPointAndOnResumes() {
        final Probe p = Probes.register("test.state.operator", PathKind.METHOD, Dist.bit(Dist.LATENCY));
        final Probe.Side side = p.side(new Object());
        p.add(Slot.IN, 5);
        p.operatorOff(true);
        assertThat(p.state()).isEqualTo(Probe.OFF);
        assertThat(Probe.stateWord(p.state())).isEqualTo("off");
        p.add(Slot.IN, 1);
        side.increment(Slot.IN);
        p.addPacked(Probe.WRITES, 10);
        assertThat(p.tick(Slot.CALLS)).isZero();
        assertThat(side.tick(Slot.CALLS)).isZero();
        assertThat(p.beginPacked(Probe.WRITES)).isZero();
        assertThat(p.countSampled(Slot.CALLS)).isFalse();
        assertThat(p.addPackedSampled(Probe.READS, 3)).isFalse();
        p.record(Dist.LATENCY, 1_000);
        assertThat(p.total(Slot.IN)).isEqualTo(5);
        assertThat(p.total(Slot.CALLS)).isZero();
        assertThat(p.total(Slot.BYTES_OUT)).isZero();
        p.operatorOff(false);
        assertThat(p.state()).isZero();
        p.increment(Slot.IN);
        side.increment(Slot.IN);
        assertThat(p.total(Slot.IN)).isEqualTo(7);
    }

    @Test
    void aTrackedQueueCountsNothingWhileItsProbeIsOffAndExactlyAfter() {
        final Probe p = Probes.register("test.state.queue", PathKind.QUEUE, 0);
        final TrackedArrayBlockingQueue<Integer> q = new TrackedArrayBlockingQueue<>(100, p.id());
        for (int i = 0; i < 10; i++) {
            q.offer(i);
        }
        p.operatorOff(true);
        for (int i = 0; i < 20; i++) {
            q.offer(i);
        }
        assertThat(q.size()).as("the queue itself works as the JDK's").isEqualTo(30);
        p.operatorOff(false);
        for (int i = 0; i < 3; i++) {
            q.offer(i);
        }
        assertThat(p.total(Slot.IN)).isEqualTo(13);
    }

    @Test
    void aFailedProbeStaysFailedWhenTheOperatorTurnsItOnAndOffAgain() {
        final Probe p = Probes.register("test.state.failed", PathKind.METHOD, 0);
        p.operatorOff(true);
        p.fail(new IllegalStateException("test"));
        assertThat(p.state()).isEqualTo(Probe.OFF | Probe.FAILED);
        assertThat(Probe.stateWord(p.state())).isEqualTo("failed");
        p.operatorOff(false);
        assertThat(p.disabled()).isTrue();
        p.increment(Slot.CALLS);
        assertThat(p.total(Slot.CALLS)).isZero();
    }

    @Test
    void aModuleOffTurnsItsProbesOffBornOffToAndOnResumesWithoutClearingTheOperatorsOff() {
        final Probe a = Probes.register("test.state.module.a", PathKind.QUEUE, 0);
        final Probe b = Probes.register("test.state.module.b", PathKind.QUEUE, 0);
        final Probe other = Probes.register("test.state.module.other", PathKind.EXECUTOR, 0);
        ProbeModules.join(a, ProbeModules.QUEUES);
        ProbeModules.join(b, ProbeModules.QUEUES);
        ProbeModules.join(other, ProbeModules.EXECUTORS);
        b.operatorOff(true);
        assertThat(ProbeModules.enabled(ProbeModules.QUEUES, false)).isGreaterThanOrEqualTo(2);
        assertThat(ProbeModules.enabled(ProbeModules.QUEUES)).isFalse();
        final Probe born = Probes.register("test.state.module.born", PathKind.QUEUE, 0);
        ProbeModules.join(born, ProbeModules.QUEUES);
        for (Probe p : new Probe[] {a, b, other, born}) {
            p.increment(Slot.IN);
        }
        assertThat(a.total(Slot.IN)).isZero();
        assertThat(born.total(Slot.IN)).as("born off").isZero();
        assertThat(other.total(Slot.IN)).as("another module's probe").isEqualTo(1);
        assertThat(Probe.stateWord(a.state())).isEqualTo("module-off");
        ProbeModules.enabled(ProbeModules.QUEUES, true);
        for (Probe p : new Probe[] {a, b, born}) {
            p.increment(Slot.IN);
        }
        assertThat(a.total(Slot.IN)).isEqualTo(1);
        assertThat(born.total(Slot.IN)).isEqualTo(1);
        assertThat(b.total(Slot.IN)).as("still off by the operator").isZero();
        assertThat(ProbeModules.of("queues")).isEqualTo(ProbeModules.QUEUES);
        assertThat(ProbeModules.of("nope")).isEqualTo(-1);
    }

    @Test
    void toggledWhileThreadsCountEveryCountIsEitherKeptOrSkippedAndNothingIsLost() throws Exception {
        final Probe p = Probes.register("test.state.race", PathKind.METHOD, 0);
        final AtomicLong counted = new AtomicLong();
        final Thread[] threads = new Thread[2];
        final long perThread = 200_000;
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (long i = 0; i < perThread; i++) {
                    p.increment(Slot.CALLS);
                }
            });
            threads[t].start();
        }
        for (int i = 0; i < 200; i++) {
            p.operatorOff(i % 2 == 0);
            p.fail(new OutOfMemoryError("host's, counted, not a fault"));
        }
        p.operatorOff(false);
        for (Thread t : threads) {
            t.join();
        }
        counted.set(p.total(Slot.CALLS));
        assertThat(counted.get()).isBetween(0L, perThread * threads.length);
        assertThat(p.state())
                .as("the operator's toggles and host faults leave no bit behind")
                .isZero();
        p.increment(Slot.CALLS);
        assertThat(p.total(Slot.CALLS)).isEqualTo(counted.get() + 1);
    }

    @Test
    void aSnapshotCarriesTheStateAndANewSampleWhenOnlyTheStateChanged() {
        final Probe p = Probes.register("test.state.snapshot", PathKind.METHOD, 0);
        p.increment(Slot.CALLS);
        final SnapshotTaker taker = new SnapshotTaker();
        assertThat(sample(taker, p).stateWord()).isEqualTo("on");
        p.operatorOff(true);
        assertThat(sample(taker, p).stateWord()).isEqualTo("off");
        p.operatorOff(false);
        assertThat(sample(taker, p).state()).isZero();
    }

    private static ProbeSample sample(SnapshotTaker taker, Probe p) {
        for (ProbeSample s : taker.take().probes()) {
            if (s.id() == p.id()) {
                return s;
            }
        }
        throw new AssertionError("no sample of " + p.name());
    }
}
