package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.apps.DeclaredProbesApp;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Methods the user names with hotpath.probes: exact call, error and size counts; bad entries reported, not fatal. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeclaredProbesIT {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.hotpath.it.Jdks#homes")
    void declaredMethodsAreCountedExactly(Path jdk) throws Exception {
        final Path dump = Launch.workFile("declared-dump.json");
        final int n = 20_000;
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.dump.file", dump.toString())
                .prop(
                        "hotpath.probes",
                        "io.hotpath.it.apps.DeclaredProbesApp$Broadcaster#publish:broadcast;"
                                + "io.hotpath.it.apps.*Handler#handle*;"
                                + "com.nowhere.Missing#run;"
                                + "not a spec;"
                                + "io.hotpath.it.apps.X#y:teleport")
                .testMain(DeclaredProbesApp.class, List.of(), String.valueOf(n))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final String truth = Truth.firstLine(r);
        final long items = Long.parseLong(truth.replaceAll(".* items=(\\d+).*", "$1"));
        final long errors = Long.parseLong(truth.replaceAll(".* errors=(\\d+).*", "$1"));

        final Dump d = Dump.read(dump);
        final Dump.Probe publish =
                d.probe("publish", x -> x.equals("io.hotpath.it.apps.DeclaredProbesApp$Broadcaster#publish"));
        assertThat(publish.kind()).isEqualTo("broadcast");
        assertThat(publish.counter("calls")).isEqualTo(n);
        assertThat(publish.counter("errors")).isZero();
        assertThat(publish.counter("batches")).isEqualTo(n);
        assertThat(publish.counter("batch_items")).isEqualTo(items);
        assertThat(publish.dist("size", "count")).isEqualTo(n);
        assertThat(publish.dist("latency", "count")).isPositive().isLessThanOrEqualTo(n);

        final Dump.Probe order =
                d.probe("handleOrder", x -> x.equals("io.hotpath.it.apps.DeclaredProbesApp$OrderHandler#handleOrder"));
        assertThat(order.kind()).isEqualTo("method");
        assertThat(order.counter("calls")).isEqualTo(n);
        assertThat(order.counter("errors")).isEqualTo(errors);
        final Dump.Probe refund = d.probe(
                "handleRefund", x -> x.equals("io.hotpath.it.apps.DeclaredProbesApp$OrderHandler#handleRefund"));
        assertThat(refund.counter("calls")).isEqualTo(n);
        assertThat(d.names()).noneMatch(x -> x.contains("notAHandlerMethod"));

        assertThat(r.agentLines())
                .as(r.describe())
                .anyMatch(l -> l.contains("'not a spec' skipped") && l.contains("<class pattern>#<method pattern>"))
                .anyMatch(l -> l.contains("unknown kind 'teleport'"))
                .anyMatch(l -> l.contains("'com.nowhere.Missing#run' has matched no method"));
    }
}
