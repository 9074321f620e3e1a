package io.hotpath.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.AgentThreads;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The background loop ticks less often while no probe moves and comes back to its tick on the first movement, so an
 * idle JVM does not pay for ten snapshots a second, and a probe that starts moving is seen within one idle tick.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ColdLoopIdleTest {
    private static final Duration TICK = Duration.ofMillis(10);
    private static final Duration IDLE = Duration.ofMillis(160);

    @Test
    void stillProbesStretchTheTickAndTheFirstMovementBringsItBack() throws InterruptedException {
        final Probe probe = Probes.register("test.coldloop.idle", PathKind.QUEUE, 0);
        final ColdLoop loop = loop(TICK, IDLE, Optional.empty());
        final Thread thread = AgentThreads.newThread(loop, "test-cold");
        thread.start();
        try {
            assertThat(awaitWait(loop, w -> w == IDLE.toNanos()))
                    .as("the wait grows to the idle tick while nothing moves")
                    .isTrue();
            probe.increment(Slot.IN);
            assertThat(awaitWait(loop, w -> w == TICK.toNanos()))
                    .as("one movement brings the tick back")
                    .isTrue();
            // Kept moving, it stays at the tick.
            for (int i = 0; i < 20; i++) {
                probe.increment(Slot.IN);
                Thread.sleep(TICK.toMillis());
                assertThat(loop.waitNanos()).isLessThanOrEqualTo(2 * TICK.toNanos());
            }
            assertThat(awaitWait(loop, w -> w == IDLE.toNanos())).isTrue();
        } finally {
            loop.stop();
            thread.join(5_000);
            // The loop points the dump's self-cost section at its readings; other tests' dumps must not show it.
            io.hotpath.agent.report.JsonDump.selfCost(null);
        }
    }

    @Test
    void aDumpDueMoreOftenThanTheIdleTickBoundsIt() {
        assertThat(loop(TICK, IDLE, Optional.of(Duration.ofMillis(50))).idleTickNanos())
                .isEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(loop(TICK, IDLE, Optional.empty()).idleTickNanos()).isEqualTo(IDLE.toNanos());
        // An idle tick shorter than the tick is the tick (the agent warns about it at start).
        assertThat(loop(TICK, Duration.ofMillis(5), Optional.empty()).idleTickNanos())
                .isEqualTo(TICK.toNanos());
    }

    private static ColdLoop loop(Duration tick, Duration idle, Optional<Duration> dumpEvery) {
        return new ColdLoop(
                tick,
                idle,
                1000,
                dumpEvery.map(d -> java.nio.file.Path.of("target", "coldloop-idle-dump.json")),
                dumpEvery,
                Optional.empty(),
                5,
                Map.of(),
                System.nanoTime());
    }

    private static boolean awaitWait(ColdLoop loop, LongPredicate done) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (done.test(loop.waitNanos())) {
                return true;
            }
            Thread.sleep(1);
        }
        return false;
    }
}
