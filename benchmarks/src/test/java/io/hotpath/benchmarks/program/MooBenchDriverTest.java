package io.hotpath.benchmarks.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The driver measures without an agent, and refuses to measure when the instrumentation it was promised is absent. */
@Timeout(120)
class MooBenchDriverTest {
    private static final List<String> SHORT_RUN = List.of("10", "50", "2", "20");

    @Test
    void printsOneFigurePerBatchWithoutAnAgent() throws Exception {
        final ChildJvm.Result r = driver(List.of("-Dbench.queue.expect=plain"));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        final List<String> batches = r.linesStartingWith(MooBenchDriver.BATCH);
        assertThat(batches).hasSize(2);
        assertThat(batches).allSatisfy(b -> assertThat(Double.parseDouble(b)).isPositive());
    }

    @Test
    void refusesWhenTheOpenTelemetryAgentIsPromisedButAbsent() throws Exception {
        final ChildJvm.Result r = driver(List.of("-D" + MooBenchDriver.OTEL_EXPECT_PROPERTY + "=true"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("OpenTelemetry agent expected but it is not loaded");
        assertThat(r.linesStartingWith(MooBenchDriver.BATCH)).isEmpty();
    }

    @Test
    void refusesWhenTheHotpathProbeIsPromisedButAbsent() throws Exception {
        final ChildJvm.Result r = driver(List.of("-Dbench.queue.expect=tracked"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("agent expected but no probe benchapp.MonitoredRecursion#monitoredMethod");
    }

    private static ChildJvm.Result driver(List<String> properties) throws Exception {
        final List<String> args = new java.util.ArrayList<>(properties);
        args.addAll(List.of("-cp", System.getProperty("java.class.path"), MooBenchDriver.class.getName()));
        args.addAll(SHORT_RUN);
        return ChildJvm.run(ChildJvm.currentJava(), args, 100);
    }
}
