package io.hotpath.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.benchmarks.AgentSetup;
import io.hotpath.benchmarks.RunPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The targets table judges the whole-program figures it is given, met or missed, and says by how much. */
@Timeout(60)
class MarkdownReportTest {
    @TempDir
    Path dir;

    private final Machine machine = new Machine(2, "cpu", "mem", "os", "jdk");

    @Test
    void moobenchRatioAndThroughputLossAreJudgedAgainstTheirTargets() throws IOException {
        final String md = render(
                "none\t1\t2\nhotpath\t1\t12\notel\t1\t1002\n", // added 10 vs 1000: ×100, met
                "none\t1\t1000\nhotpath\t1\t950\nnone@steady\t1\t1000\nhotpath@steady\t1\t995\n"
                        + "none@cpu\t1\t3000\nhotpath@cpu\t1\t3300\n"); // loss 5 %: missed by 4; warm 0.5 %: met
        assertThat(md).contains("| (otel − none) / (hotpath − none), medians | ×100.0 | met |");
        assertThat(md).contains("**×100.0** (target ≥ ×50)");
        assertThat(md)
                .contains("| status broadcaster, whole run, 1 − hotpath / none, % | 5.00 [5.00–5.00] % | **missed** by"
                        + " 4.00 % |");
        assertThat(md)
                .contains(
                        "| status broadcaster, second half (warm), 1 − hotpath / none, % | 0.50 [0.50–0.50] % | met |");
        assertThat(md).contains("| CPU ns per delivery | hotpath | 1 | 3,300 [3,300–3,300] | ×1.100 |");
        assertThat(md).contains("| whole run, msg/s | none | 1 | 1,000 [1,000–1,000] | — |");
        assertThat(md)
                .contains("hot probe, 1 thread: added mean cost per call | `ProbeBenchmark.call1Thread`"
                        + " hotpath − none, ns | not measured | — |");
    }

    @Test
    void aMooBenchRatioBelowFiftyIsAMiss() throws IOException {
        final String md = render("none\t1\t2\nhotpath\t1\t22\notel\t1\t402\n", "none\t1\t1000\nhotpath\t1\t1000\n");
        assertThat(md).contains("| ×20.0 | **missed** (×30.0 short) |");
        assertThat(md).contains("| 0.00 [0.00–0.00] % | met |");
    }

    private String render(String moobench, String throughput) throws IOException {
        final Path moo = Files.writeString(dir.resolve("moo.tsv"), moobench);
        final Path tp = Files.writeString(dir.resolve("tp.tsv"), throughput);
        return new MarkdownReport(
                        "test",
                        Instant.EPOCH,
                        RunPlan.quick(),
                        machine,
                        null,
                        List.of(AgentSetup.none()),
                        List.of(),
                        null,
                        RunSamples.read(moo),
                        RunSamples.read(tp),
                        List.of())
                .render();
    }
}
