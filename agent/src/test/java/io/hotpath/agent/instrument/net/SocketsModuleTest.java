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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SocketsModuleTest {
    /**
     * The operation probes exist from the agent's start, under their renamed names, with the distributions and module
     * the advice binds them with: the advice's own registration, when the build lands, finds them and adds nothing.
     */
    @Test
    void theOperationProbesAreRegisteredAtStartAsTheAdviceBindsThem() {
        final AdviceSupport support = new AdviceSupport(
                getClass().getClassLoader(),
                new ClassFilter(List.of(), List.of(), false),
                new ProbeNames(Map.of("net.udp#send", "udp.out")));
        new SocketsModule(null).registerProbes(support);

        final Map<String, Probe> byName = new HashMap<>();
        Probes.forEach(p -> byName.put(p.name(), p));
        for (String name : List.of(
                "net.tcp#read",
                "net.tcp#write",
                "net.uds#read",
                "net.uds#write",
                "udp.out",
                "net.udp#receive",
                "net.socket#read",
                "net.socket#write")) {
            final Probe p = byName.get(name);
            assertThat(p).as(name).isNotNull();
            assertThat(p.kind()).as(name).isEqualTo(PathKind.IPC);
            assertThat(p.has(Dist.LATENCY) && p.has(Dist.SIZE)).as(name).isTrue();
            assertThat(p.module()).as(name).isEqualTo(ProbeModules.SOCKETS);
        }
        for (String name : List.of("net.tcp#connections", "net.uds#connections", "net.socket#connections")) {
            assertThat(byName.get(name)).as(name).isNotNull();
            assertThat(byName.get(name).has(Dist.SIZE)).as(name).isFalse();
        }
        assertThat(byName).doesNotContainKey("net.udp#send");
        final int count = Probes.count();
        new SocketsModule(null).registerProbes(support);
        assertThat(Probes.count()).isEqualTo(count);
    }
}
