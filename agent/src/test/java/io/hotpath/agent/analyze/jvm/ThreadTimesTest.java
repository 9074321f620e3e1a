package io.hotpath.agent.analyze.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadTimesTest {
    @Test
    void behavesLikeAMapOverGrowthAndClear() {
        final MxJvmSource.ThreadTimes times = new MxJvmSource.ThreadTimes();
        final Map<Long, Long> expected = new HashMap<>();
        final Random random = new Random(7);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 500; i++) {
                final long id = 1 + random.nextInt(2_000);
                final long value = random.nextLong();
                times.put(id, value);
                expected.put(id, value);
            }
            assertThat(times.size()).isEqualTo(expected.size());
            for (long id = 1; id <= 2_000; id++) {
                final Long want = expected.get(id);
                assertThat(times.get(id, -1)).isEqualTo(want == null ? -1 : want);
            }
            times.clear();
            expected.clear();
            assertThat(times.get(5, -7)).isEqualTo(-7);
        }
    }
}
