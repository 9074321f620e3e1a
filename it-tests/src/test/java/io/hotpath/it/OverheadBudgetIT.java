package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.BudgetApp;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With hotpath.overhead.budget forced far below what a busy queue costs, the agent times fewer calls, then sheds the
 * queue probe's detail, says so, restores it once the program rests, and every count stays exact throughout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OverheadBudgetIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void overBudgetShedsDetailAndRestoresItWithCountsExact(Path jdk) throws Exception {
        final Path dump = Launch.workFile("budget-dump.json");
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.overhead.budget", "recording=0.01%;after=0s")
                .dumpWithoutExport(dump)
                // busy 6 s: three sampling steps, then the shed; rest 8 s: 5 readings under half, then the restore
                .testMain(BudgetApp.class, List.of(), "6000", "8000", "1000")
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final List<String> lines = r.agentLines();
        final int shed = indexOf(lines, "shed the timings and distributions of probe io.hotpath.it.apps.BudgetApp");
        final int restored =
                indexOf(lines, "restored the timings and distributions of probe io.hotpath.it.apps.BudgetApp");
        assertThat(indexOf(lines, "now times at most one call in 16 per probe"))
                .as(r.describe())
                .isNotNegative()
                .isLessThan(shed);
        assertThat(shed).as(r.describe()).isNotNegative();
        assertThat(restored).as(r.describe()).isGreaterThan(shed);
        assertThat(lines.get(shed))
                .as(r.describe())
                .contains("over its overhead budget")
                .contains("limit 0.01 %");

        final Truth t = Truth.of(r.stdout());
        final Dump.Probe q = Dump.read(dump).probe("inbox", n -> n.contains("BudgetApp"));
        assertThat(q.counter("in")).as(r.describe()).isEqualTo(t.get("budget", "in"));
        assertThat(q.counter("out")).as(r.describe()).isEqualTo(t.get("budget", "out"));
        // Waits were timed before the shed and after the restore, none while shed.
        final long waitsTimed = q.dist("wait", "count");
        assertThat(waitsTimed).as(r.describe()).isPositive().isLessThan(q.counter("waited"));
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
