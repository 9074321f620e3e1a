package io.hotpath.agent.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.optimize.control.GuardrailConfig;
import io.hotpath.agent.optimize.control.Objective;
import io.hotpath.agent.optimize.control.Window;
import io.hotpath.agent.optimize.rule.Rule;
import io.hotpath.agent.optimize.rule.Symptom;
import io.hotpath.agent.optimize.tunable.FakeTunable;
import io.hotpath.agent.optimize.tunable.Role;
import io.hotpath.agent.optimize.tunable.Tunable;
import io.hotpath.agent.optimize.tunable.TunableRegistry;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OptimizerTest {
    private static final String PROBE = "com.acme.Batcher.inbox";

    private final AtomicReference<Mode> runtime = new AtomicReference<>();
    private final AuditTrail audit = new AuditTrail(() -> 0L, false);

    private Optimizer optimizer(Mode mode, TunableRegistry registry, List<Rule> rules) {
        return new Optimizer(
                mode,
                registry,
                rules,
                new Objective(100),
                GuardrailConfig.defaults(),
                new Random(1),
                audit,
                runtime::get);
    }

    private static TunableRegistry registry(Tunable... ts) {
        final TunableRegistry r = new TunableRegistry(List.of());
        for (Tunable t : ts) {
            r.add(t);
        }
        return r;
    }

    private static void run(Optimizer o, int windows, Window w, List<Symptom> symptoms) {
        for (int i = 0; i < windows; i++) {
            o.onWindow(i * 1_000_000_000L, Map.of(PROBE, w), symptoms);
        }
    }

    private static final List<Symptom> DEEP_QUEUE = List.of(new Symptom("queue_depth", PROBE, 0.8, 1));

    @Test
    void adviseModeRecommendsAndChangesNothing() {
        final FakeTunable batch = new FakeTunable("batch", Role.BATCH_SIZE, "com.acme.Batcher", 1, 512, 1);
        final Optimizer o = optimizer(Mode.ADVISE, registry(batch), List.of());
        run(o, 20, Window.of(1000, 20).withBacklog(500), DEEP_QUEUE);
        assertThat(batch.applies).isZero();
        assertThat(batch.value).isEqualTo(1);
        assertThat(audit.entries())
                .isNotEmpty()
                .allMatch(e -> e.action().equals("recommend") && e.mode().equals("advise"));
        assertThat(audit.entries().get(0).line())
                .startsWith("optimizer recommend batch 1 -> 4 (advise): rule default-batch on queue_depth at " + PROBE);
    }

    @Test
    void applyModeChangesOnlyOnAFindingAndAudits() {
        final FakeTunable batch = new FakeTunable("batch", Role.BATCH_SIZE, "com.acme.Batcher", 1, 512, 1);
        final Optimizer o = optimizer(Mode.APPLY, registry(batch), List.of());
        run(o, 10, Window.of(1000, 20).withBacklog(500), List.of());
        assertThat(batch.applies).isZero(); // no finding, no decision
        run(o, 30, Window.of(1000, 20).withBacklog(500), DEEP_QUEUE);
        assertThat(batch.value).isGreaterThan(1);
        assertThat(audit.entries()).extracting(AuditEntry::action).contains("change", "accept");
        assertThat(o.tunableValues()).containsEntry("batch", batch.value);
        assertThat(o.report().mode()).isEqualTo("apply");
    }

    @Test
    void oneChangeAtATimePerPath() {
        final FakeTunable batch = new FakeTunable("batch", Role.BATCH_SIZE, "com.acme.Batcher", 1, 512, 1);
        final FakeTunable flush = new FakeTunable("flush", Role.FLUSH_INTERVAL, "com.acme.Batcher", 1, 512, 200);
        final Optimizer o = optimizer(Mode.APPLY, registry(batch, flush), List.of());
        final List<Symptom> both =
                List.of(new Symptom("queue_depth", PROBE, 0.8, 1), new Symptom("latency", PROBE, 0.5, -1));
        for (int i = 0; i < 40; i++) {
            o.onWindow(i * 1_000_000_000L, Map.of(PROBE, Window.of(1000, 90).withBacklog(500)), both);
            final boolean batchBusy =
                    o.guardrail("batch") != null && o.guardrail("batch").busy();
            final boolean flushBusy =
                    o.guardrail("flush") != null && o.guardrail("flush").busy();
            assertThat(batchBusy && flushBusy).as("window " + i).isFalse();
        }
        assertThat(audit.entries()).extracting(AuditEntry::tunable).contains("batch", "flush");
    }

    @Test
    void userRuleWithItsOwnStepWinsOverTheDefault() {
        final FakeTunable batch = new FakeTunable("batch", Role.BATCH_SIZE, "com.acme.Batcher", 1, 512, 2);
        final Rule.Parsed rules = Rule.parseAll("when queue_depth on com.acme.* then batch up by x2 priority 1");
        final Optimizer o = optimizer(Mode.APPLY, registry(batch), rules.rules());
        run(o, 5, Window.of(1000, 20), DEEP_QUEUE); // no backlog: the controller alone would hold
        assertThat(batch.value).isEqualTo(4);
        assertThat(audit.entries().get(0).reason()).startsWith("rule rule1 on queue_depth");
    }

    @Test
    void killSwitchRestoresEverythingAndStops() {
        final FakeTunable batch = new FakeTunable("batch", Role.BATCH_SIZE, "com.acme.Batcher", 1, 512, 1);
        final Optimizer o = optimizer(Mode.APPLY, registry(batch), List.of());
        run(o, 10, Window.of(1000, 20).withBacklog(500), DEEP_QUEUE);
        assertThat(batch.overridden).isTrue();
        runtime.set(Mode.OFF);
        run(o, 10, Window.of(1000, 20).withBacklog(500), DEEP_QUEUE);
        assertThat(batch.overridden).isFalse();
        assertThat(batch.value).isEqualTo(1);
        final int applies = batch.applies;
        run(o, 10, Window.of(1000, 20).withBacklog(500), DEEP_QUEUE);
        assertThat(batch.applies).isEqualTo(applies);
        assertThat(audit.entries()).extracting(AuditEntry::action).contains("mode", "restore");
    }

    @Test
    void manualSetChecksBoundsAndLiveness() {
        final FakeTunable batch = new FakeTunable("batch", Role.BATCH_SIZE, "com.acme.Batcher", 1, 512, 1);
        final Optimizer o = optimizer(Mode.ADVISE, registry(batch), List.of());
        assertThat(o.set("nope", 1, "test")).contains("no tunable named nope");
        assertThat(o.set("batch", 1000, "test")).contains("outside its bounds [1..512]");
        assertThat(o.set("batch", 64, "test")).isNull();
        assertThat(batch.value).isEqualTo(64);
        assertThat(audit.entries().get(0).line()).isEqualTo("optimizer change batch 1 -> 64 (test): set by test");
    }

    @Test
    void probesOnAPath() {
        assertThat(Optimizer.onPath("com.acme.Batcher", "com.acme.Batcher.inbox"))
                .isTrue();
        assertThat(Optimizer.onPath("com.acme.Batcher", "com.acme.Batcher#publish"))
                .isTrue();
        assertThat(Optimizer.onPath("com.acme.Batcher", "com.acme.Batcher")).isTrue();
        assertThat(Optimizer.onPath("com.acme.Batcher", "com.acme.BatcherTwo.inbox"))
                .isFalse();
    }
}
