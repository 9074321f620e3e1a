package io.hotpath.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GlobTest {
    @Test
    void starsMatchAnyRun() {
        assertThat(Glob.of("com.acme.*").matches("com.acme.Broadcaster")).isTrue();
        assertThat(Glob.of("com.acme.*Handler").matches("com.acme.OrderHandler"))
                .isTrue();
        assertThat(Glob.of("com.acme.*Handler").matches("com.acme.OrderHandlerX"))
                .isFalse();
        assertThat(Glob.of("*").matches("")).isTrue();
        assertThat(Glob.of("").matches("a")).isFalse();
        assertThat(Glob.of("a.b").matches("aXb")).as("a dot is a dot").isFalse();
    }

    /** With the regular expression it replaced, this took exponential time: a class load would hang. */
    @Test
    void manyStarsAgainstALongNameAnswerAtOnce() {
        final Glob g = Glob.of("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
        final String name = "a".repeat(10_000);
        final long start = System.nanoTime();
        assertThat(g.matches(name)).isFalse();
        assertThat(System.nanoTime() - start).as("nanoseconds").isLessThan(TimeUnit.SECONDS.toNanos(2));
    }
}
