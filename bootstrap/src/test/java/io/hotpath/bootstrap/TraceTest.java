package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A trace keeps every event of its probe, exactly and in claim order, up to its bound; the probe's counting is the
 * same traced or not; other probes are not traced; the state the snapshot reads does not show the trace.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TraceTest {
    @AfterEach
    void stop() {
        final Trace t = Trace.current();
        if (t != null) {
            t.stop();
        }
    }

    private record Entry(int index, Thread thread, int slot, long amount) {}

    private static List<Entry> read(Trace t) {
        final List<Entry> out = new ArrayList<>();
        final int next = t.drain(0, (i, nanos, th, slot, n) -> out.add(new Entry(i, th, slot, n)));
        assertThat(next).isEqualTo(out.size());
        return out;
    }

    @Test
    void everyEventOfTheTracedProbeIsKeptWithItsCounterAndAmount() {
        final Probe p = Probes.register("test.trace.queue", PathKind.QUEUE, 0);
        final Probe other = Probes.register("test.trace.other", PathKind.QUEUE, 0);
        final TrackedArrayBlockingQueue<Integer> q = new TrackedArrayBlockingQueue<>(2, p.id());
        final TrackedArrayBlockingQueue<Integer> o = new TrackedArrayBlockingQueue<>(2, other.id());
        final Trace t = Trace.start(p, 100);
        assertThat(t).isNotNull();
        assertThat(p.traced()).isTrue();
        assertThat(p.state()).as("the snapshot's state does not show the trace").isZero();
        q.offer(1);
        q.offer(2);
        q.offer(3); // refused: full
        q.poll();
        o.offer(9);
        p.addPacked(Probe.WRITES, 512);
        final List<Entry> entries = read(t);
        assertThat(entries).extracting(Entry::slot).containsExactly(Slot.IN, Slot.IN, Slot.DROPPED, Slot.OUT, Slot.IN);
        assertThat(entries.get(4).amount()).isEqualTo(512);
        assertThat(entries).allMatch(e -> e.thread() == Thread.currentThread());
        assertThat(p.total(Slot.IN)).as("counting goes on while traced").isEqualTo(3);
        assertThat(p.total(Slot.DROPPED)).isEqualTo(1);
        assertThat(p.total(Slot.OUT)).isEqualTo(1);
        t.stop();
        assertThat(p.traced()).isFalse();
        q.offer(4);
        assertThat(t.claimed()).as("nothing after the stop").isEqualTo(5);
        assertThat(p.total(Slot.IN)).isEqualTo(4);
    }

    @Test
    void theBoundKeepsTheFirstMaxEventsAndCountsTheRest() {
        final Probe p = Probes.register("test.trace.bound", PathKind.METHOD, 0);
        final Trace t = Trace.start(p, 10);
        for (int i = 0; i < 25; i++) {
            p.increment(Slot.CALLS);
        }
        assertThat(t.full()).isTrue();
        assertThat(t.claimed()).isEqualTo(25);
        assertThat(read(t)).hasSize(10);
        assertThat(p.total(Slot.CALLS)).isEqualTo(25);
    }

    @Test
    void oneTraceAtATimeAndTheBoundIsChecked() {
        final Probe p = Probes.register("test.trace.one", PathKind.METHOD, 0);
        assertThatThrownBy(() -> Trace.start(p, 0)).hasMessageContaining("max 0 not allowed");
        assertThatThrownBy(() -> Trace.start(p, Trace.MAX_ENTRIES + 1)).hasMessageContaining("1 to 100000");
        final Trace t = Trace.start(p, 5);
        assertThat(Trace.start(p, 5)).isNull();
        t.stop();
        t.stop();
        assertThat(Trace.start(p, 5)).isNotNull();
    }

    @Test
    void anOperatorOffProbeIsNeitherCountedNorTraced() {
        final Probe p = Probes.register("test.trace.off", PathKind.METHOD, 0);
        final Trace t = Trace.start(p, 10);
        p.operatorOff(true);
        p.increment(Slot.CALLS);
        assertThat(t.claimed()).isZero();
        assertThat(p.total(Slot.CALLS)).isZero();
        assertThat(Probe.stateWord(p.state())).isEqualTo("off");
        p.operatorOff(false);
        p.increment(Slot.CALLS);
        assertThat(t.claimed()).isEqualTo(1);
    }

    @Test
    void manyThreadsLoseNoEntryAndCountExactly() throws Exception {
        final Probe p = Probes.register("test.trace.threads", PathKind.QUEUE, 0);
        final int threads = 4;
        final int each = 5_000;
        final Trace t = Trace.start(p, threads * each);
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> started = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            final Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    p.increment(Slot.IN);
                }
            });
            th.start();
            started.add(th);
        }
        go.countDown();
        for (Thread th : started) {
            th.join();
        }
        final List<Entry> entries = read(t);
        assertThat(entries).hasSize(threads * each);
        assertThat(entries.stream().map(Entry::thread).distinct()).hasSize(threads);
        assertThat(p.total(Slot.IN)).isEqualTo((long) threads * each);
    }
}
