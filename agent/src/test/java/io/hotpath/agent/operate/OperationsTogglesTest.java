package io.hotpath.agent.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.config.Config;
import io.hotpath.agent.config.Settings;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.ProbeModules;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operations layer's toggles: a probe and a module off stop the recording and are audited; a failed probe stays
 * off; a run-time setting reaches its applier with the parsed value; bad values and start-only settings answer one line
 * naming them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OperationsTogglesTest {
    private final Operations ops = new Operations(new LiveState(), Map.of(), System.nanoTime());

    @AfterEach
    void reset() {
        ProbeModules.enabled(ProbeModules.EXECUTORS, true);
        Operations.modulesInstalled(Set.of());
        RunTimeSettings.install(null);
    }

    @Test
    void probeOffStopsCountingOnResumesAndBothAreAudited() {
        final Probe p = Probes.register("test.ops.probe", PathKind.METHOD, 0);
        p.increment(Slot.CALLS);
        final Operations.Result off = ops.probe("test.ops.probe", false, "http");
        assertThat(off.status()).as(off.json()).isEqualTo(200);
        assertThat(off.json()).contains("\"value\":\"off\"");
        p.increment(Slot.CALLS);
        assertThat(p.total(Slot.CALLS)).isEqualTo(1);
        assertThat(ops.probe("test.ops.probe", true, "jmx").status()).isEqualTo(200);
        p.increment(Slot.CALLS);
        assertThat(p.total(Slot.CALLS)).isEqualTo(2);
        assertThat(ops.writes())
                .extracting(Operations.OperatorWrite::line)
                .containsExactly(
                        "operator probe test.ops.probe on -> off (by http)",
                        "operator probe test.ops.probe off -> on (by jmx)");
        assertThat(ops.probe("no.such", false, "http").status()).isEqualTo(404);
    }

    @Test
    void aFailedProbeCannotBeTurnedOn() {
        final Probe p = Probes.register("test.ops.failed", PathKind.METHOD, 0);
        p.fail(new IllegalStateException("boom"));
        final Operations.Result r = ops.probe("test.ops.failed", true, "http");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.line()).contains("test.ops.failed").contains("stays off");
    }

    @Test
    void moduleOffTurnsItsProbesOffOnlyWhenInstalled() {
        final Probe p = Probes.register("test.ops.module", PathKind.EXECUTOR, 0);
        ProbeModules.join(p, ProbeModules.EXECUTORS);
        assertThat(ops.module("executors", false, "http").status()).isEqualTo(409);
        Operations.modulesInstalled(List.of("executors"));
        final Operations.Result r = ops.module("executors", false, "http");
        assertThat(r.status()).as(r.json()).isEqualTo(200);
        assertThat(Probe.stateWord(p.state())).isEqualTo("module-off");
        assertThat(ops.module("executors", true, "http").status()).isEqualTo(200);
        assertThat(p.state()).isZero();
        assertThat(ops.module("bogus", true, "http").line()).contains("bogus").contains("queues, executors");
    }

    @Test
    void aRunTimeSettingReachesItsApplierAndBadValuesAreOneLine() {
        final List<Duration> applied = new ArrayList<>();
        RunTimeSettings.install(new RunTimeSettings(Config.resolve("", new Properties(), Map.of())))
                .on(Settings.ALERTS_COOLDOWN, c -> applied.add(c.get(Settings.ALERTS_COOLDOWN)))
                .on(Settings.SUMMARY_TOP, c -> {
                    throw new IllegalArgumentException("allowed: not today");
                });
        final Operations.Result done = ops.setting("hotpath.alerts.cooldown", "90s", "cli");
        assertThat(done.status()).as(done.json()).isEqualTo(200);
        assertThat(applied).containsExactly(Duration.ofSeconds(90));
        assertThat(ops.writes().get(0).line()).isEqualTo("operator setting hotpath.alerts.cooldown 5m -> 90s (by cli)");
        assertThat(RunTimeSettings.current().config().get(Settings.ALERTS_COOLDOWN))
                .isEqualTo(Duration.ofSeconds(90));

        final Operations.Result bad = ops.setting("hotpath.alerts.cooldown", "banana", "http");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.line()).contains("banana").contains("allowed: " + Settings.ALERTS_COOLDOWN.allowed());
        final Operations.Result refused = ops.setting("hotpath.summary.top", "3", "http");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.line()).contains("allowed: not today");
        assertThat(ops.setting("hotpath.alerts.rate-limit", "5", "http").status())
                .as("no applier: the alerts are off in this run")
                .isEqualTo(409);
        final Operations.Result startOnly = ops.setting("hotpath.http.port", "8080", "http");
        assertThat(startOnly.status()).isEqualTo(409);
        assertThat(startOnly.line()).contains("hotpath.http.port is read at start only (the endpoint is bound");
        assertThat(applied).hasSize(1);
    }
}
