package io.hotpath.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BroadcasterConfigTest {

    @Test
    void defaults() {
        final BroadcasterConfig config = BroadcasterConfig.parse();

        assertThat(config.scenario()).isEqualTo(Scenario.BASIC);
        assertThat(config.rate()).isEqualTo(5000);
        assertThat(config.rateLimited()).isTrue();
        assertThat(config.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.producers()).isEqualTo(2);
        assertThat(config.subscribers()).isEqualTo(4);
        assertThat(config.batchSize()).isEqualTo(64);
        assertThat(config.flushIntervalMs()).isEqualTo(10);
        assertThat(config.dispatcherThreads()).isEqualTo(2);
        assertThat(config.ingressCapacity()).isEqualTo(10_000);
        assertThat(config.dispatchQueueCapacity()).isEqualTo(64);
        assertThat(config.subscriberCapacity()).isEqualTo(1000);
        assertThat(config.workMicros()).isZero();
        assertThat(config.batchCostMicros()).isZero();
        assertThat(config.slowSubscriber()).isEqualTo(-1);
        assertThat(config.slowMicros()).isZero();
        assertThat(config.blockProducers()).isFalse();
        assertThat(config.dropRejected()).isFalse();
        assertThat(config.truthFile()).isNull();
        assertThat(config.quiet()).isFalse();
    }

    @Test
    void everyOptionInBothForms() {
        final BroadcasterConfig config = BroadcasterConfig.parse(
                "--scenario",
                "ramp-up",
                "--rate=1234.5",
                "--duration",
                "1500ms",
                "--producers",
                "3",
                "--subscribers=5",
                "--batch-size",
                "16",
                "--flush-interval-ms",
                "0",
                "--dispatcher-threads",
                "4",
                "--ingress-capacity",
                "100",
                "--dispatch-queue-capacity",
                "8",
                "--subscriber-capacity",
                "50",
                "--work-us",
                "7",
                "--batch-cost-us=120",
                "--slow-subscriber",
                "4",
                "--slow-us=250",
                "--block-producers",
                "--drop-rejected",
                "--quiet");

        assertThat(config.scenario()).isEqualTo(Scenario.RAMP_UP);
        assertThat(config.rate()).isEqualTo(1234.5);
        assertThat(config.duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.producers()).isEqualTo(3);
        assertThat(config.subscribers()).isEqualTo(5);
        assertThat(config.batchSize()).isEqualTo(16);
        assertThat(config.flushIntervalMs()).isZero();
        assertThat(config.dispatcherThreads()).isEqualTo(4);
        assertThat(config.ingressCapacity()).isEqualTo(100);
        assertThat(config.dispatchQueueCapacity()).isEqualTo(8);
        assertThat(config.subscriberCapacity()).isEqualTo(50);
        assertThat(config.workMicros()).isEqualTo(7);
        assertThat(config.batchCostMicros()).isEqualTo(120);
        assertThat(config.slowSubscriber()).isEqualTo(4);
        assertThat(config.slowMicros()).isEqualTo(250);
        assertThat(config.blockProducers()).isTrue();
        assertThat(config.dropRejected()).isTrue();
        assertThat(config.quiet()).isTrue();
    }

    @Test
    void scenarioDefaults() {
        assertThat(BroadcasterConfig.parse("--scenario", "stress").rateLimited())
                .isFalse();
        assertThat(BroadcasterConfig.parse("--scenario", "stress", "--rate", "1e6")
                        .rate())
                .isEqualTo(1e6);
        assertThat(BroadcasterConfig.parse("--scenario", "sustained").duration())
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(BroadcasterConfig.parse("--scenario", "SUSTAINED", "--duration", "2m")
                        .duration())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(BroadcasterConfig.parse("--slow-subscriber", "0").slowMicros())
                .isEqualTo(BroadcasterConfig.DEFAULT_SLOW_MICROS);
    }

    @ParameterizedTest
    @CsvSource({"500ms, 500", "5s, 5000", "5, 5", "1500, 1500", "1m, 60000", "1h, 3600000"})
    void durations(String text, long millis) {
        assertThat(BroadcasterConfig.duration("--duration", text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--scenario|nope|'nope' is not a scenario: allowed basic, burst, stress, ramp-up, sustained, soak",
                "--rate|0|'0' is out of range",
                "--rate|fast|'fast' is not a number",
                "--duration|5x|'5x' is not a duration",
                "--duration|0ms|'0ms' is out of range",
                "--producers|0|--producers 0 is out of range: allowed 1..1024",
                "--batch-size|many|--batch-size 'many' is not a whole number",
                "--flush-interval-ms|-1|--flush-interval-ms -1 is out of range: allowed 0..60000",
                "--slow-subscriber|4|--slow-subscriber 4 is out of range: allowed 0..3",
            })
    void badValuesNameTheValueAndWhatIsAllowed(String option, String value, String message) {
        assertThatThrownBy(() -> BroadcasterConfig.parse(option, value))
                .isInstanceOf(ArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void badOptions() {
        assertThatThrownBy(() -> BroadcasterConfig.parse("--bogus"))
                .isInstanceOf(ArgumentException.class)
                .hasMessageContaining("unknown option '--bogus'");
        assertThatThrownBy(() -> BroadcasterConfig.parse("--rate"))
                .isInstanceOf(ArgumentException.class)
                .hasMessageContaining("--rate needs a value");
        assertThatThrownBy(() -> BroadcasterConfig.parse("--quiet=yes"))
                .isInstanceOf(ArgumentException.class)
                .hasMessageContaining("'--quiet' should be specified without 'yes'");
        assertThatThrownBy(() -> BroadcasterConfig.parse("--slow-us", "10"))
                .isInstanceOf(ArgumentException.class)
                .hasMessageContaining("needs --slow-subscriber");
    }

    @Test
    void faultOptionsAreReadByTheSameParser() {
        final BroadcasterConfig.Options o =
                BroadcasterConfig.options("--fault=lock-contention", "--fault-at", "2s", "--quiet");
        assertThat(Faults.plan(o.fault, o.faultAt))
                .isEqualTo(new Faults.Plan(Faults.Kind.LOCK_CONTENTION, java.time.Duration.ofSeconds(2)));
        assertThat(BroadcasterConfig.of(o).quiet()).isTrue();
        assertThat(Faults.plan(null, null)).isEqualTo(new Faults.Plan(null, Faults.DEFAULT_ONSET));
        assertThatThrownBy(() -> Faults.plan("slowness", null))
                .isInstanceOf(ArgumentException.class)
                .hasMessageContaining("--fault 'slowness' is not a fault: allowed slow-subscriber,");
        assertThatThrownBy(() -> Faults.plan(null, "3s"))
                .isInstanceOf(ArgumentException.class)
                .hasMessageContaining("--fault-at needs --fault KIND");
        assertThatThrownBy(() -> BroadcasterConfig.options("--fault"))
                .isInstanceOf(ArgumentException.class)
                .hasMessageContaining("--fault needs a value");
    }

    @Test
    void mainPrintsOneLineAndExitsWithTwoOnABadArgument() throws InterruptedException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        final int exitCode = StatusBroadcasterMain.run(new String[] {"--rate", "-3"}, print(out), print(err));

        assertThat(exitCode).isEqualTo(StatusBroadcasterMain.EXIT_BAD_ARGUMENT);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo("error: --rate '-3' is out of range: allowed a finite number of msg/s > 0");
    }

    @Test
    void helpIsNotAnError() throws InterruptedException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(StatusBroadcasterMain.run(new String[] {"--help"}, print(out), print(new ByteArrayOutputStream())))
                .isEqualTo(StatusBroadcasterMain.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--block-producers", "--truth-file");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
