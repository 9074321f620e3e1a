package io.hotpath.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LatencyRecorderTest {

    @Test
    void bucketsCoverEveryValueWithinThreePercent() {
        for (long value = 0; value < 1 << 20; value++) {
            final long upper = LatencyRecorder.bucketUpperBound(LatencyRecorder.bucketIndex(value));
            assertThat(upper).isGreaterThanOrEqualTo(value);
            assertThat(upper - value).isLessThanOrEqualTo(Math.max(0, value / 32 + 1));
        }
        assertThat(LatencyRecorder.bucketUpperBound(LatencyRecorder.bucketIndex(LatencyRecorder.MAX_MICROS)))
                .isEqualTo(LatencyRecorder.MAX_MICROS);
    }

    @Test
    void percentiles() {
        final LatencyRecorder recorder = new LatencyRecorder();
        for (long micros = 1; micros <= 1000; micros++) {
            recorder.record(micros);
        }
        final LatencyRecorder other = new LatencyRecorder();
        other.record(-5);
        other.record(Long.MAX_VALUE);
        recorder.add(other);

        assertThat(recorder.count()).isEqualTo(1002);
        assertThat(recorder.percentileMicros(50)).isBetween(500L, 516L);
        assertThat(recorder.percentileMicros(99)).isBetween(990L, 1023L);
        assertThat(recorder.maxMicros()).isEqualTo(LatencyRecorder.MAX_MICROS);
        assertThat(new LatencyRecorder().percentileMicros(50)).isZero();
    }
}
