package io.hotpath.bootstrap.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Slot;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK fields the tracked queues read exist with the expected names and types on the JDK running the tests (17 and
 * 25 in the build), once {@code java.util.concurrent} is opened as the agent opens it; a JDK that renames one fails
 * here rather than silently stopping the {@code blocked}/{@code waited} counts.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JdkQueueFieldsTest {
    @Test
    void everyFieldIsReadableWhenTheAgentOpensThePackage() {
        assertThat(JdkQueueFields.available()).isTrue();
    }

    @Test
    void theCountReadDecidesWhatIsCountedAsWaiting() throws InterruptedException {
        final Probe probe = Counters.queueProbe("fields");
        final TrackedArrayBlockingQueue<Integer> q = new TrackedArrayBlockingQueue<>(1, probe.id());
        assertThat(q.poll(1, TimeUnit.MILLISECONDS)).isNull(); // empty: counted as waiting
        q.put(1); // room: not counted as blocked
        assertThat(q.offer(2, 1, TimeUnit.MILLISECONDS)).isFalse(); // full: counted as blocked, then refused
        assertThat(q.take()).isEqualTo(1); // an element: not counted as waiting
        assertThat(probe.total(Slot.WAITED)).isEqualTo(1);
        assertThat(probe.total(Slot.BLOCKED)).isEqualTo(1);
        assertThat(probe.total(Slot.IN)).isEqualTo(1);
        assertThat(probe.total(Slot.DROPPED)).isEqualTo(1);
        assertThat(probe.total(Slot.OUT)).isEqualTo(1);
    }
}
