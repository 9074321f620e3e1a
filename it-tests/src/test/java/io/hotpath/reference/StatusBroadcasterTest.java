package io.hotpath.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Short in-process runs: the orderly shutdown must end with every invariant holding. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusBroadcasterTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--scenario basic --duration 400ms --rate 2000",
                "--scenario stress --duration 300ms --drop-rejected --dispatch-queue-capacity 2 --batch-size 8",
                "--scenario burst --duration 300ms --block-producers --ingress-capacity 16 --subscriber-capacity 4",
                "--scenario ramp-up --duration 300ms --flush-interval-ms 0 --batch-size 1 --slow-subscriber 1 --slow-us 50"
            })
    void runEndsConsistent(String arguments) throws InterruptedException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final String[] args = (arguments + " --quiet").split(" ");

        final int exitCode = StatusBroadcasterMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        final String stdout = out.toString(StandardCharsets.UTF_8);
        assertThat(stdout).doesNotContain("WARNING").contains(GroundTruth.LINE_PREFIX + "{");
        assertThat(stdout).contains("\"invariantsOk\":true", "\"violations\":[]");
        assertThat(exitCode).isEqualTo(StatusBroadcasterMain.EXIT_OK);
    }

    @Test
    void truthFileTakesTheJsonInsteadOfStdout(@TempDir Path dir) throws InterruptedException, IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Path file = dir.resolve("truth.json");

        final int exitCode = StatusBroadcasterMain.run(
                new String[] {"--scenario", "stress", "--duration", "200ms", "--quiet", "--truth-file", file.toString()
                },
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(exitCode).isEqualTo(StatusBroadcasterMain.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(GroundTruth.LINE_PREFIX);
        final JsonNode truth = new ObjectMapper().readTree(file.toFile());
        assertThat(truth.get("invariantsOk").asBoolean()).isTrue();
        assertThat(truth.get("config").get("rateMsgPerSec").isNull())
                .as("an unlimited rate is null, JSON has no infinity")
                .isTrue();
        assertThat(truth.get("published").asLong())
                .isEqualTo(truth.get("ingressQueued").asLong()
                        + truth.get("ingressOverflow").asLong());
    }
}
