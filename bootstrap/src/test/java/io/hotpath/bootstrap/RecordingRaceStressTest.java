package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.ipc.IdentityCells;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded stress harness for the recording core's races (jcstress-style outcomes checked by hand, every round
 * bounded in count and the whole test in time): probe registration from many threads, identity cells raced for one
 * key and used on distinct keys, and instance lists walked by two readers while constructors add to them. Each check
 * states the outcome that must hold in every interleaving; a round that sees another fails the test with the round
 * number.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecordingRaceStressTest {
    private static final int THREADS = 4;

    /** Runs {@code body(thread index)} on {@link #THREADS} threads released together; rethrows the first failure. */
    private static void race(int threads, ThreadBody body) throws Exception {
        final CyclicBarrier start = new CyclicBarrier(threads);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int index = t;
            final Thread thread = new Thread(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                    body.run(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            thread.start();
            ts.add(thread);
        }
        for (Thread t : ts) {
            t.join(60_000);
            assertThat(t.isAlive()).as("%s still running", t).isFalse();
        }
        if (failure.get() != null) {
            throw new AssertionError("a racing thread failed", failure.get());
        }
    }

    interface ThreadBody {
        void run(int thread) throws Exception;
    }

    private static final AtomicInteger SEQ = new AtomicInteger();

    /** Threads registering the same names at once all get the same probe per name, with one id each, findable by id. */
    @Test
    void probeRegistrationFromManyThreadsYieldsOneProbePerName() throws Exception {
        for (int round = 0; round < 50; round++) {
            final String prefix = "stress.register." + SEQ.incrementAndGet() + ".";
            final int names = 4;
            final Probe[][] got = new Probe[THREADS][names]; // each thread writes its own row
            race(THREADS, t -> {
                for (int n = 0; n < names; n++) {
                    got[t][n] = Probes.register(prefix + n, PathKind.QUEUE, Dist.bit(Dist.WAIT));
                }
            });
            final Set<Integer> ids = new java.util.HashSet<>();
            for (int n = 0; n < names; n++) {
                final Probe p = got[0][n];
                for (int t = 1; t < THREADS; t++) {
                    assertThat(got[t][n])
                            .as("round %d name %d thread %d", round, n, t)
                            .isSameAs(p);
                }
                assertThat(p.name()).isEqualTo(prefix + n);
                assertThat(Probes.get(p.id())).isSameAs(p);
                assertThat(ids.add(p.id())).as("id %d given twice", p.id()).isTrue();
            }
        }
    }

    /**
     * Threads racing {@code putIfAbsentRelease} for one absent key: exactly one stores and reads its own value, the
     * others read that value or nothing (a 0 also means a claim still being published: the claim sets the key before
     * its value, and a loser does not wait for it), every read after the race sees the winner's value, and one
     * {@code remove} takes it back exactly once.
     */
    @Test
    void identityCellsRacedForOneKeyStoreExactlyOnce() throws Exception {
        final IdentityCells cells = new IdentityCells(64);
        for (int round = 0; round < 2_000; round++) {
            final int key = IdentityCells.keyOf(new Object());
            final AtomicInteger stored = new AtomicInteger();
            final long[] read = new long[THREADS];
            final long[] removed = new long[THREADS];
            final boolean[] won = new boolean[THREADS];
            race(THREADS, t -> {
                if (cells.putIfAbsentRelease(key, t + 1) == 1) {
                    stored.incrementAndGet();
                    won[t] = true;
                }
                read[t] = cells.getAcquire(key);
            });
            assertThat(stored.get()).as("round %d: stores", round).isEqualTo(1);
            final long winner = cells.getAcquire(key);
            assertThat(winner)
                    .as("round %d: the value once every store returned", round)
                    .isBetween(1L, (long) THREADS);
            for (int t = 0; t < THREADS; t++) {
                if (won[t]) {
                    assertThat(read[t])
                            .as("round %d: the winner reads its own value", round)
                            .isEqualTo(t + 1L);
                } else {
                    // The contract of a 0: the key holds a value or a claim that is being published; a read in the
                    // nanoseconds before that claimer publishes sees nothing, never another value.
                    assertThat(read[t]).as("round %d: a loser's read", round).isIn(0L, winner);
                }
            }
            race(THREADS, t -> removed[t] = cells.remove(key));
            long taken = 0;
            for (long r : removed) {
                if (r != 0) {
                    assertThat(r).as("round %d: removed", round).isEqualTo(winner);
                    taken++;
                }
            }
            assertThat(taken).as("round %d: removes that took the value", round).isEqualTo(1);
            assertThat(cells.getAcquire(key)).isZero();
        }
        assertThat(cells.overflow()).isZero();
    }

    /** Threads each storing, reading and removing their own keys never see another thread's value or lose their own. */
    @Test
    void identityCellsOnDistinctKeysKeepEachValue() throws Exception {
        final IdentityCells cells = new IdentityCells(1024);
        final Object[][] owners = new Object[THREADS][16];
        for (Object[] o : owners) {
            for (int i = 0; i < o.length; i++) {
                o[i] = new Object();
            }
        }
        race(THREADS, t -> {
            for (int round = 0; round < 20_000; round++) {
                final Object owner = owners[t][round & 15];
                final int key = IdentityCells.keyOf(owner);
                final long value = ((long) t << 32) | (round + 1);
                assertThat(cells.putRelease(key, value)).isTrue();
                final long got = cells.getAcquire(key);
                // Two live objects may share an identity hash (documented); only then may another thread's value show.
                if (got != value) {
                    assertThat(sharesAHashWithAnotherThread(owners, t, key))
                            .as("key %d read %d", key, got)
                            .isTrue();
                    continue;
                }
                assertThat(cells.remove(key)).isEqualTo(value);
            }
        });
        assertThat(cells.overflow()).isZero();
    }

    private static boolean sharesAHashWithAnotherThread(Object[][] owners, int t, int key) {
        for (int other = 0; other < owners.length; other++) {
            if (other == t) {
                continue;
            }
            for (Object o : owners[other]) {
                if (IdentityCells.keyOf(o) == key) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Two readers walk a probe's instance list (as the agent's snapshot and the exporter's do) while constructors add
     * instances and the collector clears them. Every walk visits each live object at most once and at most the
     * probe's cap of instances, and neither reader throws.
     */
    @Test
    void twoReadersWalkTheInstanceListWhileItChanges() throws Exception {
        final Probe probe =
                Probes.register("stress.instances." + SEQ.incrementAndGet(), PathKind.QUEUE, Dist.bit(Dist.WAIT));
        final Set<Object> everTracked = ConcurrentHashMap.newKeySet();
        final AtomicInteger writersDone = new AtomicInteger();
        race(4, t -> {
            if (t < 2) {
                for (int i = 0; i < 20_000; i++) {
                    final Object instance = new Object();
                    everTracked.add(instance); // kept reachable, so a visited object can be checked
                    probe.track(instance);
                    if ((i & 1023) == 0) {
                        everTracked.clear(); // let the collector clear the tracked references
                        System.gc();
                    }
                }
                writersDone.incrementAndGet();
            } else {
                do {
                    final Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
                    probe.forEachInstance(o -> {
                        assertThat(visited.add(o))
                                .as("visited twice in one walk")
                                .isTrue();
                    });
                    assertThat(visited.size()).isLessThanOrEqualTo(Probe.MAX_TRACKED_INSTANCES);
                } while (writersDone.get() < 2);
            }
        });
    }
}
