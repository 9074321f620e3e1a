package io.hotpath.agent.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.optimize.control.GuardrailConfig;
import io.hotpath.agent.optimize.control.Objective;
import io.hotpath.agent.optimize.rule.Rule;
import io.hotpath.agent.optimize.rule.Symptom;
import io.hotpath.agent.optimize.tunable.FakeTunable;
import io.hotpath.agent.optimize.tunable.Role;
import io.hotpath.agent.optimize.tunable.Tunable;
import io.hotpath.agent.optimize.tunable.TunableRegistry;
import io.hotpath.bootstrap.PathKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which roles a rule may move for each kind of probe, and docs/optimizer.md's table of them. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RolesPerKindTest {
    private static final String PROBE = "com.acme.Stage.inbox";

    /** One tunable of every role, all related to {@link #PROBE} (declared in its class). */
    private static TunableRegistry everyRole() {
        final TunableRegistry r = new TunableRegistry(List.of());
        for (Role role : Role.values()) {
            r.add(new FakeTunable(role.word(), role, "com.acme.Stage", 0, 512, 1));
        }
        return r;
    }

    private static Optimizer optimizer(TunableRegistry registry) {
        return new Optimizer(
                Mode.ADVISE,
                registry,
                List.of(),
                new Objective(100),
                GuardrailConfig.defaults(),
                new Random(1),
                new AuditTrail(() -> 0L, false),
                () -> null);
    }

    @Test
    void everyRuleMovesOnlyRolesThatExistForTheProbesKind() {
        final Optimizer o = optimizer(everyRole());
        final List<Rule> rules = new ArrayList<>(Rule.defaults());
        for (Role role : Role.values()) {
            rules.add(Rule.parseAll("when latency then @" + role.word() + " up")
                    .rules()
                    .get(0));
        }
        for (Rule rule : rules) {
            final Role role = Role.of(rule.target().substring(1));
            for (PathKind kind : PathKind.values()) {
                final List<String> moved = o.targets(rule, new Symptom(rule.kind(), PROBE, 0.8, 1, kind)).stream()
                        .map(Tunable::name)
                        .toList();
                if (role.fits(kind)) {
                    assertThat(moved).as("%s on a %s", rule.name(), kind).containsExactly(role.word());
                } else {
                    assertThat(moved).as("%s on a %s", rule.name(), kind).isEmpty();
                }
            }
            // Kind not known (the JVM's findings, a probe no snapshot carried yet): not filtered.
            assertThat(o.targets(rule, new Symptom(rule.kind(), PROBE, 0.8, 1)))
                    .extracting(Tunable::name)
                    .containsExactly(role.word());
        }
    }

    @Test
    void aPoolHasOnlyASize() {
        assertThat(Role.FLUSH_INTERVAL.fits(PathKind.EXECUTOR)).isFalse();
        assertThat(Role.BATCH_SIZE.fits(PathKind.EXECUTOR)).isFalse();
        assertThat(Role.CONCURRENCY.fits(PathKind.EXECUTOR)).isTrue();
        assertThat(Role.FLUSH_INTERVAL.fits(PathKind.QUEUE)).isFalse();
    }

    @Test
    void aRuleNamingATunableIsTheUsersChoice() {
        final Optimizer o = optimizer(everyRole());
        final Rule rule =
                Rule.parseAll("when latency then flush-interval down").rules().get(0);
        assertThat(o.targets(rule, new Symptom("latency", PROBE, 0.8, -1, PathKind.EXECUTOR)))
                .extracting(Tunable::name)
                .containsExactly("flush-interval");
    }

    @Test
    void docsListTheRolesOfEveryKind() throws Exception {
        final Map<String, String> want = new LinkedHashMap<>();
        for (PathKind kind : PathKind.values()) {
            final List<String> roles = new ArrayList<>();
            for (Role role : Role.values()) {
                if (role.fits(kind)) {
                    roles.add("`" + role.word() + "`");
                }
            }
            want.put("`" + kind.label() + "`", String.join(", ", roles));
        }
        final Map<String, String> documented = new LinkedHashMap<>();
        boolean in = false;
        for (String line : Files.readAllLines(Path.of("../docs/optimizer.md"))) {
            if (line.startsWith("| probe kind | roles a rule or a recommendation may name |")) {
                in = true;
            } else if (in && line.startsWith("| `")) {
                final String[] cells = line.split("\\|");
                documented.put(cells[1].trim(), cells[2].trim());
            } else if (in && !line.startsWith("|")) {
                break;
            }
        }
        assertThat(documented).isEqualTo(want);
    }
}
