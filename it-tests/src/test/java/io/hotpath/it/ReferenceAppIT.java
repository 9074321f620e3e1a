package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference status broadcaster under every load scenario, on every JDK, with the agent attached: the agent's
 * dump must equal the application's own ground-truth counts exactly.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReferenceAppIT {
    static Stream<Arguments> runs() {
        final List<Arguments> runs = new ArrayList<>();
        for (Path jdk : Jdks.homes()) {
            for (String[] scenario : new String[][] {
                {"basic", "--rate", "5000"},
                {"burst", "--rate", "20000"},
                {"stress", "--dispatch-queue-capacity", "4", "--batch-size", "16"},
                {"ramp-up", "--rate", "8000"},
                {"sustained", "--rate", "3000"},
                {
                    "basic",
                    "--rate",
                    "50000",
                    "--block-producers",
                    "--ingress-capacity",
                    "64",
                    "--slow-subscriber",
                    "1",
                    "--slow-us",
                    "20"
                },
            }) {
                runs.add(Arguments.of(Jdks.label(jdk), jdk, scenario));
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("runs")
    void dumpEqualsGroundTruth(String label, Path jdk, String[] scenario) throws Exception {
        final Path dumpFile = Launch.workFile(label + "-" + scenario[0] + "-dump.json");
        final List<String> args = new ArrayList<>(List.of("--scenario", scenario[0], "--duration", "2s", "--quiet"));
        args.addAll(List.of(scenario).subList(1, scenario.length));
        final Launch.Result r = Launch.on(jdk)
                .prop("hotpath.dump.file", dumpFile.toString())
                .referenceApp(args.toArray(new String[0]))
                .timeout(java.time.Duration.ofSeconds(120))
                .run();
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final GroundTruth truth = GroundTruth.of(r);
        assertThat(truth.invariantsOk()).as(r.describe()).isTrue();
        // The analyzer may rightly alert (a stress run saturates the dispatcher); anything else the agent warns
        // about here would be a fault of its own.
        assertThat(r.agentLines())
                .as(r.describe())
                .filteredOn(l -> !l.contains(" WARN alert "))
                .noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR "));

        final Dump dump = Dump.read(dumpFile);
        final Dump.Probe ingress =
                dump.probe("ingress queue", n -> n.startsWith("io.hotpath.reference.StatusBroadcaster."));
        assertThat(ingress.kind()).isEqualTo("queue");
        assertThat(ingress.counter("in")).as("queued").isEqualTo(truth.get("ingressQueued"));
        assertThat(ingress.counter("dropped")).as("overflow").isEqualTo(truth.get("ingressOverflow"));
        assertThat(ingress.counter("out")).as("dequeued").isEqualTo(truth.get("ingressDequeued"));
        assertThat(ingress.counter("batches")).as("non-empty drains").isEqualTo(truth.get("drainToNonEmptyCalls"));
        assertThat(ingress.counter("batch_items")).as("drained").isEqualTo(truth.get("drainToElements"));
        assertThat(ingress.dist("size", "count")).isEqualTo(truth.get("drainToNonEmptyCalls"));
        assertThat(ingress.counter("waited")).isLessThanOrEqualTo(truth.get("ingressPollCalls"));
        // Waits are timed on a sample (the first on each counter stripe always is), not on every waiting call.
        assertThat(ingress.dist("wait", "count"))
                .isBetween(Math.min(1L, ingress.counter("waited")), ingress.counter("waited"));
        assertThat(ingress.gauge("depth")).isZero();
        if (List.of(scenario).contains("--block-producers")) {
            assertThat(ingress.counter("blocked"))
                    .as("producers blocked on a full ingress")
                    .isPositive();
            assertThat(ingress.dist("latency", "count")).isBetween(1L, ingress.counter("blocked"));
        }

        final Dump.Probe subscribers =
                dump.probe("subscriber queues", n -> n.equals("io.hotpath.reference.QueueSubscriberChannel.queue"));
        assertThat(subscribers.counter("in")).as("delivered").isEqualTo(truth.get("subscriberDelivered"));
        assertThat(subscribers.counter("out")).as("consumed").isEqualTo(truth.get("subscriberConsumed"));
        assertThat(subscribers.gauge("depth")).isZero();

        final Dump.Probe pool = dump.probe("dispatcher pool", n -> n.equals("io.hotpath.reference.Dispatcher.pool"));
        assertThat(pool.kind()).isEqualTo("executor");
        assertThat(pool.counter("calls")).as("execute calls").isEqualTo(truth.get("dispatchSubmitted"));
        assertThat(pool.counter("rejected")).isEqualTo(truth.get("dispatchRejected"));
        assertThat(pool.counter("in"))
                .as("accepted")
                .isEqualTo(truth.get("dispatchSubmitted") - truth.get("dispatchRejected"));
        assertThat(pool.counter("out")).as("completed").isEqualTo(truth.get("dispatchCompleted"));
        assertThat(pool.counter("started")).isEqualTo(truth.get("dispatchCompleted"));
        assertThat(pool.counter("errors")).isZero();
        assertThat(pool.dist("latency", "count"))
                .as("timed task runs")
                .isPositive()
                .isLessThanOrEqualTo(truth.get("dispatchCompleted"));
        if (scenario[0].equals("stress")) {
            assertThat(truth.get("dispatchRejected"))
                    .as("stress must saturate the dispatcher")
                    .isPositive();
        }

        final Dump.Probe stats = dump.probe("fixed pool", n -> n.startsWith("io.hotpath.reference.ProgressReporter"));
        assertThat(stats.kind()).isEqualTo("executor");
        assertThat(stats.counter("out")).as("stats tasks").isEqualTo(truth.get("fixedPoolTasks"));
    }
}
