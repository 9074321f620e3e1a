package io.hotpath.agent.optimize.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RuleTest {
    @Test
    void parsesFullAndMinimalRules() {
        final Rule.Parsed p = Rule.parseAll(
                "bigger: when queue_depth on com.acme.*.inbox then batch up by x2 cooldown 30s priority 1;"
                        + "when latency then @flush-interval down by 5;"
                        + "when * on com.acme.Batcher.<init>:42 then zip off");
        assertThat(p.problems()).isEmpty();
        assertThat(p.rules()).hasSize(3);
        final Rule r = p.rules().get(0);
        assertThat(r.name()).isEqualTo("bigger");
        assertThat(r.kind()).isEqualTo("queue_depth");
        assertThat(r.probeGlob()).isEqualTo("com.acme.*.inbox");
        assertThat(r.target()).isEqualTo("batch");
        assertThat(r.direction()).isEqualTo(1);
        assertThat(r.factor()).isEqualTo(2.0);
        assertThat(r.cooldown()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.priority()).isEqualTo(1);
        assertThat(r.step().applyAsLong(8)).isEqualTo(16);
        assertThat(r.matches("queue_depth", "com.acme.Batcher.inbox")).isTrue();
        assertThat(r.matches("queue_depth", "com.other.Batcher.inbox")).isFalse();
        assertThat(r.matches("latency", "com.acme.Batcher.inbox")).isFalse();

        final Rule flush = p.rules().get(1);
        assertThat(flush.name()).isEqualTo("rule2");
        assertThat(flush.targetsRole()).isTrue();
        assertThat(flush.direction()).isEqualTo(-1);
        assertThat(flush.step().applyAsLong(20)).isEqualTo(15);
        assertThat(flush.cooldown()).isEqualTo(Rule.DEFAULT_COOLDOWN);
        assertThat(flush.priority()).isEqualTo(5);

        final Rule any = p.rules().get(2);
        assertThat(any.probeGlob()).isEqualTo("com.acme.Batcher.<init>:42");
        assertThat(any.matches("whatever", "com.acme.Batcher.<init>:42")).isTrue();
        assertThat(any.step()).isNull();
    }

    @Test
    void badRulesAreOneLineProblems() {
        final Rule.Parsed p = Rule.parseAll("when queue_depth then batch sideways;"
                + "if queue_depth then batch up;"
                + "when queue_depth then @speed up;"
                + "when queue_depth then batch up by x0.5;"
                + "when queue_depth then batch up cooldown soon;"
                + "when queue_depth then batch up priority 0;"
                + "when queue_depth then batch up loudly yes;"
                + "when Queue-Depth then batch up;"
                + "when queue_depth then");
        assertThat(p.rules()).isEmpty();
        assertThat(p.problems()).hasSize(9).allMatch(l -> !l.contains("\n") && l.contains("skipped: "));
        assertThat(p.problems().get(0)).contains("unknown direction 'sideways'");
        assertThat(p.problems().get(1)).contains("expected 'when'");
        assertThat(p.problems().get(2)).contains("unknown role 'speed'");
        assertThat(p.problems().get(3)).contains("must be above 1");
        assertThat(p.problems().get(4)).contains("cooldown 'soon'");
        assertThat(p.problems().get(5)).contains("priority 0");
        assertThat(p.problems().get(6)).contains("unexpected 'loudly'");
        assertThat(p.problems().get(7)).contains("not a finding kind");
        assertThat(p.problems().get(8)).contains("missing a tunable name");
    }

    @Test
    void defaultsCarryTheSeedStrategiesThatCanFire() {
        // Only kinds something produces: the analyzer's finding kinds and the feed's derived "stable". A default on
        // a kind nothing derives (the earlier "throughput_high" shards rule) could never fire.
        assertThat(Rule.defaults())
                .extracting(Rule::kind, Rule::target, Rule::direction)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("queue_depth", "@batch-size", 1),
                        org.assertj.core.groups.Tuple.tuple("saturation", "@concurrency", 1),
                        org.assertj.core.groups.Tuple.tuple("latency", "@flush-interval", -1),
                        org.assertj.core.groups.Tuple.tuple("stable", "@compression", 1));
        final java.util.Set<String> produced = new java.util.HashSet<>();
        for (io.hotpath.agent.analyze.finding.FindingKind k : io.hotpath.agent.analyze.finding.FindingKind.values()) {
            produced.add(k.label());
        }
        produced.add("stable");
        assertThat(Rule.defaults()).extracting(Rule::kind).allMatch(produced::contains);
    }
}
