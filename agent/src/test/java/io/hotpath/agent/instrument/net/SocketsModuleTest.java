package io.hotpath.agent.instrument.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.instrument.ClassFilter;
import io.hotpath.agent.instrument.ProbeNames;
import io.hotpath.agent.instrument.advice.AdviceSupport;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.ProbeModules;
import io.hotpath.bootstrap.Probes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.builder.AgentBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SocketsModuleTest {
    /**
     * The operation probes exist from the agent's start, under their renamed names, with the distributions and module
     * the advice binds them with: exactly the operations the advice bindings are built for, so the advice's own
     * registration, when the build lands, finds them and adds nothing.
     */
    @Test
    void theOperationProbesAreRegisteredAtStartAsTheAdviceBindsThem() {
        // Every operation renamed under a prefix of this run's own, so that the probes registered below are told
        // apart from those other tests in this JVM registered.
        final String prefix = "test.sockets." + System.nanoTime() + ".";
        final Map<String, String> renames = new HashMap<>();
        for (SocketOperation op : SocketOperation.values()) {
            renames.put(op.probeName, prefix + op.probeName);
        }
        final AdviceSupport support = new AdviceSupport(
                getClass().getClassLoader(), new ClassFilter(List.of(), List.of(), false), new ProbeNames(renames));
        final SocketsModule module = new SocketsModule();
        module.registerProbes(support);

        final Map<String, Probe> registered = new HashMap<>();
        Probes.forEach(p -> {
            if (p.name().startsWith(prefix)) {
                registered.put(p.name(), p);
            }
        });
        module.advice(new AgentBuilder.Default(), support);
        final Map<SocketOperation, String> bound = module.bound();
        assertThat(registered.keySet()).containsExactlyInAnyOrderElementsOf(bound.values());
        for (Map.Entry<SocketOperation, String> e : bound.entrySet()) {
            final Probe p = registered.get(e.getValue());
            assertThat(p.kind()).as(e.getValue()).isEqualTo(PathKind.IPC);
            for (int dist = 0; dist < Dist.COUNT; dist++) {
                assertThat(p.has(dist))
                        .as(e.getValue() + " dist " + dist)
                        .isEqualTo((e.getKey().dists & Dist.bit(dist)) != 0);
            }
            assertThat(p.module()).as(e.getValue()).isEqualTo(ProbeModules.SOCKETS);
        }

        final int count = Probes.count();
        module.registerProbes(support);
        assertThat(Probes.count()).isEqualTo(count);
    }
}
