package io.hotpath.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.snapshot.ProbeSample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TerminalSummaryTest {
    private static final int ALL = Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT) | Dist.bit(Dist.SIZE);

    private static Report manyProbes() {
        final List<ProbeSample> samples = new ArrayList<>();
        final PathKind[] kinds = PathKind.values();
        for (int i = 1; i <= 30; i++) {
            final String name = i % 3 == 0
                    ? "org.example.very.deeply.nested.pkg.name.that.goes.on.and.on.SomeBroadcaster$Inner#publish" + i
                    : "com.acme.Probe" + i;
            samples.add(Fixtures.sample(i, name, kinds[i % kinds.length], 37L * i * i * i, ALL, 1_000L * i * i));
        }
        samples.add(Fixtures.sample(31, "never.used", PathKind.QUEUE, 0, ALL, 0));
        return Fixtures.report(samples);
    }

    @Test
    void linesFitAndBusiestComeFirst() {
        final String text = TerminalSummary.format(manyProbes(), 10);
        final String[] lines = text.split("\n");
        assertThat(lines).hasSize(1 + 1 + 10 + 1);
        for (String line : lines) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(TerminalSummary.MAX_WIDTH);
            assertThat(line).doesNotContain("\u001b").isEqualTo(line.stripTrailing());
        }
        assertThat(lines[0]).startsWith("hotpath 2024-06-01T12:00:00Z  uptime 1m01s  interval 1.00s  probes 31");
        assertThat(lines[1]).startsWith("kind").contains("name", "rate/s", "p50", "p99", "depth", "refused/s");
        assertThat(lines[2]).contains("Inner#publish30");
        assertThat(lines[lines.length - 1]).isEqualTo("(+20 more probes)"); // 30 active, the unused one not listed

        // Columns line up: every row has p50 right-aligned at the same column.
        final int end = lines[1].indexOf("p50") + 3;
        for (int i = 2; i < lines.length - 1; i++) {
            assertThat(lines[i].charAt(end - 1)).as(lines[i]).isNotEqualTo(' ');
            assertThat(lines[i].charAt(end)).as(lines[i]).isEqualTo(' ');
        }
    }

    @Test
    void longNamesKeepTheirEnd() {
        final String name = "org.example.very.deeply.nested.pkg.name.that.goes.on.and.on.SomeBroadcaster#publish";
        final String cut = TerminalSummary.abbreviate(name, TerminalSummary.NAME_WIDTH);
        assertThat(cut).hasSize(TerminalSummary.NAME_WIDTH).startsWith("...").endsWith("SomeBroadcaster#publish");
        assertThat(TerminalSummary.abbreviate("short", 48)).isEqualTo("short");
    }

    @Test
    void queueShowsWaitAndMethodShowsCalls() {
        final Report r = Fixtures.report(List.of(
                Fixtures.sample(1, "q", PathKind.QUEUE, 100, Dist.bit(Dist.WAIT) | Dist.bit(Dist.LATENCY), 2_000_000),
                Fixtures.sample(2, "m", PathKind.METHOD, 10, Dist.bit(Dist.LATENCY), 50)));
        final String[] lines = TerminalSummary.format(r, 5).split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[2])
                .startsWith("queue")
                .contains("in 1.00k out 900", "2.0")
                .contains("ms")
                .contains(" 100 ");
        assertThat(lines[3]).startsWith("method").contains("calls 50.0", "50ns", "  -  ");
        // A method probe has no refused counter in its kind's list, whatever the raw slot holds.
        assertThat(lines[3]).endsWith(" -");
        assertThat(lines[2]).endsWith(" 10.0");
    }

    @Test
    void controlCharactersInNamesAreReplaced() {
        final Report r = Fixtures.report(List.of(Fixtures.sample(1, "evil\u001b[2J\nname", PathKind.QUEUE, 1, 0, 0)));
        final String text = TerminalSummary.format(r, 5);
        assertThat(text).doesNotContain("\u001b").contains("evil?[2J?name");
        assertThat(text.split("\n")).hasSize(3);
    }

    @Test
    void noActivityAndZeroTop() {
        assertThat(TerminalSummary.format(Fixtures.report(List.of()), 10)).endsWith("(no activity recorded)\n");
        final String[] lines = TerminalSummary.format(manyProbes(), 0).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).isEqualTo("(+30 more probes)");
    }

    @Test
    void anOverloadedQueueWhoseConsumersNeverWaitedShowsLittlesLawMeanTimeInQueue() {
        // 1,000 in and 900 out over one second, no consumer wait and no blocked producer timed: every take found an
        // element, and 100 wait. Little's law: 100 / 900 per second = 111 ms in the queue on average.
        final Report r = Fixtures.report(List.of(Fixtures.sample(1, "q", PathKind.QUEUE, 100, 0, 0)));
        final String[] lines = TerminalSummary.format(r, 5).split("\n");
        assertThat(lines[2]).startsWith("queue").containsPattern(" ~111ms +- +100 ");
    }
}
