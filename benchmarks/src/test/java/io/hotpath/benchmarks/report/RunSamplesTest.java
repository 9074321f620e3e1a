package io.hotpath.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RunSamplesTest {
    @TempDir
    Path dir;

    @Test
    void figuresOverAllSamplesAndOverPerRunMedians() throws IOException {
        final Path file = dir.resolve("moobench.tsv");
        Files.writeString(
                file,
                "# setup\tfork\tns_per_call\n"
                        + "none\t1\t2.0\nnone\t1\t4.0\nnone\t1\t3.0\n"
                        + "otel\t1\t500\notel\t2\t700\notel\t2\t900\n");
        final RunSamples s = RunSamples.read(file);
        assertThat(s.summaries()).extracting(RunSamples.Summary::setup).containsExactly("none", "otel");
        assertThat(s.get("none").runs()).isEqualTo(1);
        assertThat(s.get("none").all()).isEqualTo(new Figure(3.0, 2.0, 4.0, 3));
        assertThat(s.get("otel").runs()).isEqualTo(2);
        assertThat(s.get("otel").all()).isEqualTo(new Figure(700, 500, 900, 3));
        // fork 1: 500, fork 2: median of 700 and 900
        assertThat(s.get("otel").runMedians()).isEqualTo(new Figure(650, 500, 800, 2));
        assertThat(s.get("hotpath")).isNull();
    }

    @Test
    void aMalformedLineNamesTheFileAndTheLine() throws IOException {
        final Path file = dir.resolve("bad.tsv");
        Files.writeString(file, "none\t1\n");
        assertThatThrownBy(() -> RunSamples.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bad.tsv")
                .hasMessageContaining("expected 3 tab-separated fields");
    }
}
