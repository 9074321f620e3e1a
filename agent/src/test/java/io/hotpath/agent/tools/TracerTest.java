package io.hotpath.agent.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracer: a trace asked for at start begins once its probe registers; a trace ends at its duration with what it
 * kept written and an end line saying so; one runs at a time; an element's text is cut and a throwing toString shown
 * by its class.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TracerTest {
    @TempDir
    Path dir;

    @Test
    void aTraceAskedForAtStartBeginsWhenItsProbeRegisters() throws Exception {
        final Tracer tracer = new Tracer(dir, Duration.ofSeconds(30), 100);
        tracer.startWhenRegistered("test.tracer.late");
        Thread.sleep(300);
        assertThat(tracer.runningTrace()).as("no such probe yet").isNull();
        final Probe p = Probes.register("test.tracer.late", PathKind.METHOD, 0);
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (tracer.runningTrace() == null) {
            assertThat(System.nanoTime() < deadline).as("the trace starts").isTrue();
            Thread.sleep(20);
        }
        assertThatThrownBy(() -> tracer.start(p, Duration.ofSeconds(1), 10)).isInstanceOf(Tracer.Busy.class);
        p.increment(Slot.CALLS);
        p.increment(Slot.ERRORS);
        assertThat(tracer.stop()).isEqualTo("test.tracer.late");
        assertThat(tracer.awaitIdle(Duration.ofSeconds(20))).isTrue();
        final List<String> lines = onlyFile();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).contains("\"outcome\":\"calls\"");
        assertThat(lines.get(2)).contains("\"outcome\":\"errors\"");
        assertThat(lines.get(3)).contains("\"end\":\"stopped\"").contains("\"entries\":2");
        assertThat(tracer.lastOutcomes(p)).extracting(Tracer.Outcome::outcome).containsExactly("calls", "errors");
        assertThat(p.traced()).isFalse();
    }

    @Test
    void aTraceEndsAtItsDuration() throws Exception {
        final Tracer tracer = new Tracer(dir, Duration.ofSeconds(30), 100);
        final Probe p = Probes.register("test.tracer.duration", PathKind.METHOD, 0);
        tracer.start(p, Duration.ofSeconds(1), 10);
        p.increment(Slot.CALLS);
        assertThat(tracer.awaitIdle(Duration.ofSeconds(20)))
                .as("ends by itself")
                .isTrue();
        final List<String> lines = onlyFile();
        assertThat(lines.get(lines.size() - 1)).contains("\"end\":\"duration\"").contains("\"entries\":1");
        assertThat(p.traced()).isFalse();
    }

    private List<String> onlyFile() throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return Files.readAllLines(files.findFirst().orElseThrow());
        }
    }

    @Test
    void anElementIsCutAndAThrowingToStringIsShownByItsClass() {
        assertThat(Inspector.shown("abcdefghij", 10)).isEqualTo("abcdefghij");
        assertThat(Inspector.shown("abcdefghijk", 10)).isEqualTo("abcdefghij...(11 chars)");
        assertThat(Inspector.shown(null, 10)).isEqualTo("null");
        assertThat(Inspector.shown(
                        new Object() {
                            @Override
                            public String toString() {
                                throw new UnsupportedOperationException("password=hunter2");
                            }
                        },
                        10))
                .isEqualTo("<toString threw java.lang.UnsupportedOperationException>");
    }
}
