package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TunablesTest {
    private static final int ID = 17;

    @AfterEach
    void reset() {
        Tunables.resetForTest(ID);
    }

    @Test
    void firstReadIsCapturedAndInactiveReadsPassThrough() {
        assertThat(Tunables.stateAcquire(ID)).isEqualTo(Tunables.UNSEEN);
        assertThat(Tunables.readInt(5, ID)).isEqualTo(5);
        assertThat(Tunables.stateAcquire(ID)).isEqualTo(Tunables.SEEN);
        assertThat(Tunables.readInt(6, ID)).isEqualTo(6); // another instance keeps its own value
        assertThat(Tunables.hasOriginalAcquire(ID)).isTrue();
        assertThat(Tunables.originalAcquire(ID)).isEqualTo(5);
    }

    @Test
    void activeReadsReturnTheCellAndDeactivateRestores() {
        Tunables.readLong(9L, ID);
        Tunables.activateRelease(ID, 64);
        assertThat(Tunables.readLong(9L, ID)).isEqualTo(64L);
        assertThat(Tunables.readInt(9, ID)).isEqualTo(64);
        Tunables.activateRelease(ID, 65);
        assertThat(Tunables.readLong(9L, ID)).isEqualTo(65L);
        Tunables.deactivateRelease(ID);
        assertThat(Tunables.stateAcquire(ID)).isEqualTo(Tunables.SEEN);
        assertThat(Tunables.readLong(9L, ID)).isEqualTo(9L);
    }

    @Test
    void booleans() {
        assertThat(Tunables.readBoolean(false, ID)).isFalse();
        Tunables.activateRelease(ID, 1);
        assertThat(Tunables.readBoolean(false, ID)).isTrue();
        Tunables.activateRelease(ID, 0);
        assertThat(Tunables.readBoolean(true, ID)).isFalse();
    }

    @Test
    void activatedBeforeAnyReadGoesBackToUnseen() {
        Tunables.activateRelease(ID, 3);
        assertThat(Tunables.readInt(1, ID)).isEqualTo(3);
        assertThat(Tunables.hasOriginalAcquire(ID)).isFalse();
        Tunables.deactivateRelease(ID);
        assertThat(Tunables.stateAcquire(ID)).isEqualTo(Tunables.UNSEEN);
        assertThat(Tunables.readInt(1, ID)).isEqualTo(1);
        assertThat(Tunables.originalAcquire(ID)).isEqualTo(1);
    }

    @Test
    void badIdsAreRefusedOnTheColdSide() {
        assertThatThrownBy(() -> Tunables.activateRelease(Tunables.CAPACITY, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readersRacingTheSwitchSeeOldOrNewNeverGarbage() throws Exception {
        final int threads = 4;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicBoolean bad = new AtomicBoolean();
        final CountDownLatch started = new CountDownLatch(threads);
        final Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            ts[i] = new Thread(() -> {
                started.countDown();
                while (!stop.get()) {
                    final long v = Tunables.readLong(7L, ID);
                    if (v != 7L && (v < 100 || v > 200)) {
                        bad.set(true);
                    }
                }
            });
            ts[i].start();
        }
        started.await();
        for (int v = 100; v <= 200; v++) {
            Tunables.activateRelease(ID, v);
            if (v % 10 == 0) {
                Tunables.deactivateRelease(ID);
            }
        }
        stop.set(true);
        for (Thread t : ts) {
            t.join();
        }
        assertThat(bad).isFalse();
        assertThat(Tunables.originalAcquire(ID)).isEqualTo(7L);
    }
}
