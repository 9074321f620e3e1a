package io.hotpath.agent.analyze.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Blocked threads are counted from thread states, with the lock they wait for, without contention monitoring. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MxJvmSourceTest {
    /**
     * The count is served from the last read while no collection ran; a collection after that is seen within a few
     * reads (the first ones after it may still see the count the JVM has not updated).
     */
    @Test
    void aCollectionAfterASettledCountIsSeen() throws Exception {
        final MxJvmSource source = new MxJvmSource(false);
        final long before = source.gcCount();
        for (int i = 0; i < 3 && source.gcCount() != before; i++) {
            Thread.sleep(10); // a collection ran meanwhile: read until the count settles
        }
        final long settled = source.gcCount();
        System.gc();
        long after = source.gcCount();
        for (int i = 0; i < 200 && after == settled; i++) {
            Thread.sleep(10);
            after = source.gcCount();
        }
        assertThat(after).isGreaterThan(settled);
        for (int i = 0; i < 100; i++) {
            Thread.sleep(1);
            System.gc();
            if (source.gcCount() > after) {
                return;
            }
        }
        throw new AssertionError("collections after the first one were not seen: count " + source.gcCount());
    }

    /** The JIT's compilation time is the JVM's own figure, and grows while new hot code is compiled. */
    @Test
    void compilationTimeGrowsWhileHotCodeIsCompiled() {
        final MxJvmSource source = new MxJvmSource(false);
        final long before = source.jitMillis();
        assertThat(before).isNotNegative();
        long sum = 0;
        long after = before;
        for (int round = 0; round < 2_000 && after == before; round++) {
            for (int i = 0; i < 10_000; i++) {
                sum += Long.toString(i * 31L + round).hashCode();
            }
            after = source.jitMillis();
        }
        assertThat(after).as("compilation time, after work summing to %d", sum).isGreaterThan(before);
    }

    @Test
    void aThreadBlockedOnAMonitorIsCountedWithItsLockAndAgentThreadsAreNot() throws Exception {
        final MxJvmSource source = new MxJvmSource(false);
        assertThat(source.threads().blockedNow()).isZero();
        final Object lock = new Object();
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread holder = new Thread(
                () -> {
                    synchronized (lock) {
                        holding.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                },
                "test-lock-holder");
        final Thread waiter = new Thread(
                () -> {
                    synchronized (lock) {
                        lock.notifyAll();
                    }
                },
                "test-lock-waiter");
        final Thread agentWaiter = new Thread(
                () -> {
                    synchronized (lock) {
                        lock.notifyAll();
                    }
                },
                "hotpath-test-waiter");
        holder.start();
        holding.await();
        waiter.start();
        agentWaiter.start();
        try {
            while (waiter.getState() != Thread.State.BLOCKED || agentWaiter.getState() != Thread.State.BLOCKED) {
                Thread.sleep(5);
            }
            final JvmSource.ThreadReading reading = source.threads();
            assertThat(reading.blockedNow()).isEqualTo(1);
            assertThat(reading.hotLock()).contains("java.lang.Object").contains("held by test-lock-holder");
            Thread.sleep(50);
            assertThat(source.threads().blockedMillis()).isGreaterThan(reading.blockedMillis());
        } finally {
            release.countDown();
            holder.join();
            waiter.join();
            agentWaiter.join();
        }
        assertThat(source.threads().blockedNow()).isZero();
    }
}
