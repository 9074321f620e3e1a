package io.hotpath.benchmarks.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A run's rate comes from the counts at and after the warm-up only. */
@Timeout(30)
class IpcThroughputRunnerTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theWindowStartsAtTheFirstCountAtOrAfterTheWarmUp() {
        final List<Progress> counts = List.of(
                Progress.parse("t=0 messages=0 backPressured=0"),
                Progress.parse("t=1000000000 messages=100 backPressured=7"), // start-up: slow
                Progress.parse("t=2000000000 messages=1100 backPressured=9"), // the warm-up ends here
                Progress.parse("t=3000000000 messages=3100 backPressured=12"),
                Progress.parse("t=4000000000 messages=4100 backPressured=20"));
        final double[] r = IpcThroughputRunner.window(counts, 2 * SECOND);
        assertThat(r[0]).isCloseTo(1500.0, within(1e-9)); // (4100 - 1100) over 2 s
        assertThat(r[1]).isEqualTo(11.0); // 20 - 9
        assertThat(r[2]).isCloseTo(1000.0, within(1e-9)); // slowest interval in the window
        assertThat(r[3]).isCloseTo(2000.0, within(1e-9)); // fastest
    }

    @Test
    void aWindowWithFewerThanTwoCountsIsAnError() {
        final List<Progress> counts = List.of(
                Progress.parse("t=0 messages=0 backPressured=0"),
                Progress.parse("t=1500000000 messages=100 backPressured=0"));
        assertThatThrownBy(() -> IpcThroughputRunner.window(counts, SECOND)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLineThatIsNoCountIsAnError() {
        assertThatThrownBy(() -> Progress.parse("RESULT msgPerSec=5")).isInstanceOf(IllegalArgumentException.class);
    }
}
