package io.hotpath.bootstrap.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdentityCellsTest {
    @Test
    void storesFindsAndRemoves() {
        final IdentityCells cells = new IdentityCells(64);
        assertThat(cells.getAcquire(42)).isZero();
        assertThat(cells.putRelease(42, 7L)).isTrue();
        assertThat(cells.getAcquire(42)).isEqualTo(7L);
        assertThat(cells.putRelease(42, 8L)).isTrue();
        assertThat(cells.getAcquire(42)).isEqualTo(8L);
        assertThat(cells.remove(42)).isEqualTo(8L);
        assertThat(cells.getAcquire(42)).isZero();
        assertThat(cells.remove(42)).isZero();
    }

    @Test
    void putIfAbsentKeepsTheFirstValue() {
        final IdentityCells cells = new IdentityCells(64);
        assertThat(cells.putIfAbsentRelease(42, 7L)).isEqualTo(1);
        assertThat(cells.putIfAbsentRelease(42, 8L)).isZero();
        assertThat(cells.getAcquire(42)).isEqualTo(7L);
        assertThat(cells.remove(42)).isEqualTo(7L);
        assertThat(cells.putIfAbsentRelease(42, 9L)).isEqualTo(1);
        assertThat(cells.remove(42)).isEqualTo(9L);
    }

    @Test
    void racingBeginsOpenOneEpisode() throws Exception {
        // Threads that all see the same transition begin one episode; the count of begins minus ends stays 0 or 1.
        final IdentityCells cells = new IdentityCells(64);
        final AtomicLong begun = new AtomicLong();
        final AtomicLong ended = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    if (cells.putIfAbsentRelease(77, i + 1L) == 1) {
                        begun.incrementAndGet();
                    }
                }
            }));
        }
        threads.add(new Thread(() -> {
            for (int i = 0; i < 100_000; i++) {
                if (cells.remove(77) != 0) {
                    ended.incrementAndGet();
                }
            }
        }));
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        if (cells.remove(77) != 0) {
            ended.incrementAndGet();
        }
        assertThat(begun.get()).isEqualTo(ended.get());
    }

    @Test
    void racingBeginsAndEndsBesideChurningNeighboursLoseNothing() throws Exception {
        // One key begun from three threads and ended from one, while keys with the same home cell are stored and
        // removed around it, so claims of the key land in different cells and cells are freed and reused under every
        // step. Every begin reported must be ended by exactly one remove, and no cell may be left behind.
        final IdentityCells cells = new IdentityCells(16);
        final int key = 77;
        final List<Integer> neighbours = new ArrayList<>();
        for (int n = 1000; neighbours.size() < 3; n++) {
            if (cells.home(n) == cells.home(key)) {
                neighbours.add(n);
            }
        }
        final AtomicLong begun = new AtomicLong();
        final AtomicLong ended = new AtomicLong();
        final AtomicLong neighbourErrors = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    if (cells.putIfAbsentRelease(key, i + 1L) == 1) {
                        begun.incrementAndGet();
                    }
                }
            }));
        }
        threads.add(new Thread(() -> {
            for (int i = 0; i < 100_000; i++) {
                if (cells.remove(key) != 0) {
                    ended.incrementAndGet();
                }
            }
        }));
        for (int n : neighbours) {
            threads.add(new Thread(() -> {
                for (int i = 1; i <= 50_000; i++) {
                    // A neighbour owns its key alone: what it stores it must read and remove, whatever the key does.
                    if (cells.putRelease(n, i)) {
                        if (cells.getAcquire(n) != i || cells.remove(n) != i) {
                            neighbourErrors.incrementAndGet();
                        }
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        while (cells.remove(key) != 0) {
            ended.incrementAndGet();
        }
        assertThat(neighbourErrors.get()).isZero();
        assertThat(begun.get()).isPositive().isEqualTo(ended.get());
        assertThat(cells.getAcquire(key)).isZero();
        // Every cell is free again: a full neighbourhood of fresh keys fits.
        for (int n : neighbours) {
            assertThat(cells.getAcquire(n)).isZero();
        }
        assertThat(cells.putIfAbsentRelease(key, 5L)).isEqualTo(1);
        assertThat(cells.putIfAbsentRelease(key, 6L)).isZero();
        assertThat(cells.remove(key)).isEqualTo(5L);
    }

    @Test
    void anOverwriteWinsOverARacingPutIfAbsent() throws Exception {
        // putRelease (one owner renaming its connection) and putIfAbsentRelease (a mark from another thread) race on
        // one key: whichever order, the key ends with exactly one live cell and the owner's last value.
        for (int round = 0; round < 2_000; round++) {
            final IdentityCells cells = new IdentityCells(16);
            final int key = 42;
            final Thread marker = new Thread(() -> cells.putIfAbsentRelease(key, 1L));
            marker.start();
            assertThat(cells.putRelease(key, 2L)).isTrue();
            marker.join();
            assertThat(cells.putRelease(key, 3L)).isTrue();
            assertThat(cells.getAcquire(key)).isEqualTo(3L);
            assertThat(cells.remove(key)).isEqualTo(3L);
            assertThat(cells.remove(key)).isZero();
        }
    }

    @Test
    void fullNeighbourhoodIsCountedNotStored() {
        final IdentityCells cells = new IdentityCells(16);
        int stored = 0;
        for (int key = 1; key <= 200; key++) {
            if (cells.putRelease(key, key)) {
                stored++;
                assertThat(cells.getAcquire(key)).isEqualTo(key);
            }
        }
        assertThat(stored).isLessThanOrEqualTo(cells.capacity());
        assertThat(cells.overflow()).isEqualTo(200 - stored);
        // Removed cells are reused.
        for (int key = 1; key <= 200; key++) {
            cells.remove(key);
        }
        assertThat(cells.putRelease(1000, 5L)).isTrue();
        assertThat(cells.getAcquire(1000)).isEqualTo(5L);
    }

    @Test
    void storingAKeyAgainAfterAnEarlierCellWasFreedKeepsOneCell() {
        // For every neighbour x of key 7 in a small table: x stored before 7, x removed (its cell now sits free before
        // 7's), 7 stored again. The second store must update 7's cell, not claim x's freed one: a duplicate would
        // survive the remove below and give 7 a stale value forever.
        for (int x = 8; x < 400; x++) {
            final IdentityCells cells = new IdentityCells(16);
            assertThat(cells.putRelease(x, 1L)).isTrue();
            assertThat(cells.putRelease(7, 2L)).isTrue();
            assertThat(cells.remove(x)).isEqualTo(1L);
            assertThat(cells.putRelease(7, 3L)).isTrue();
            assertThat(cells.getAcquire(7)).as("x=%d", x).isEqualTo(3L);
            assertThat(cells.remove(7)).as("x=%d", x).isEqualTo(3L);
            assertThat(cells.getAcquire(7))
                    .as("no stale copy of 7 left, x=%d", x)
                    .isZero();
            assertThat(cells.remove(7)).as("x=%d", x).isZero();
        }
    }

    @Test
    void concurrentOwnersSeeOnlyTheirOwnValues() throws Exception {
        final IdentityCells cells = new IdentityCells(1024);
        final AtomicLong wrong = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final int base = (t + 1) * 1_000_000;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 200_000; i++) {
                    final int key = base + (i % 50);
                    if (cells.putRelease(key, key)) {
                        final long v = cells.getAcquire(key);
                        if (v != key) {
                            wrong.incrementAndGet();
                        }
                        final long removed = cells.remove(key);
                        if (removed != key) {
                            wrong.incrementAndGet();
                        }
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(wrong.get()).isZero();
    }

    @Test
    void endpointNamesAreCapped() {
        Endpoints.configure(Endpoints.names() + 2); // other tests in this JVM may have created names already
        final Object a = new Object();
        final Object b = new Object();
        final Object c = new Object();
        Endpoints.open(a, "test.cap to", "one");
        Endpoints.open(b, "test.cap to", "two");
        Endpoints.open(c, "test.cap to", "three");
        assertThat(Endpoints.attached(a).name()).isEqualTo("test.cap to one");
        assertThat(Endpoints.attached(c).name()).isEqualTo("test.cap to (other)");
        assertThat(Endpoints.folded()).isPositive();
        Endpoints.close(c);
        assertThat(Endpoints.attached(c)).isNull();
        Endpoints.configure(Endpoints.DEFAULT_MAX);
    }
}
