package io.hotpath.agent.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.bootstrap.snapshot.SnapshotTaker;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MXBean on this JVM's platform MBean server: the reads and an audited write, through the server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentMBeanTest {
    @Test
    void readsAndWritesGoThroughTheOperationsLayerAuditedAsJmx() throws Exception {
        final LiveState live = new LiveState();
        final Operations ops = new Operations(live, Map.of("pid", "7"), System.nanoTime());
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final ObjectName name = new ObjectName(AgentMBean.NAME);
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        AgentMBean.register(ops);
        try {
            assertThat(server.getAttribute(name, "DumpJson")).isEqualTo("");
            live.publish(new SnapshotTaker().takeFull(), null, null);
            assertThat((String) server.getAttribute(name, "DumpJson")).startsWith("{\"schema\":\"hotpath.dump/2\"");
            assertThat(server.getAttribute(name, "HealthState")).isEqualTo("healthy");
            assertThat(server.getAttribute(name, "Mode")).isEqualTo("off");
            assertThat((String) server.getAttribute(name, "TunablesJson"))
                    .startsWith("{\"error\":\"the optimizer is off");

            final AgentLog.Level before = AgentLog.threshold();
            try {
                final Object answer =
                        server.invoke(name, "setSetting", new Object[] {"hotpath.log.level", "error"}, new String[] {
                            String.class.getName(), String.class.getName()
                        });
                assertThat((String) answer).startsWith("{\"done\":\"setting\"");
                assertThat(AgentLog.threshold()).isEqualTo(AgentLog.Level.ERROR);
            } finally {
                AgentLog.threshold(before);
            }
            final Object refused = server.invoke(name, "setSetting", new Object[] {"hotpath.tick", "1s"}, new String[] {
                String.class.getName(), String.class.getName()
            });
            assertThat((String) refused).contains("setting hotpath.tick is read at start only");
            assertThat(ops.writes()).singleElement().satisfies(w -> {
                assertThat(w.who()).isEqualTo("jmx");
                assertThat(w.target()).isEqualTo("hotpath.log.level");
                assertThat(w.to()).isEqualTo("error");
            });
        } finally {
            server.unregisterMBean(name);
        }
    }

    @Test
    void aStopBeforeTheDelayedRegistrationCallsItOffAndEndsItsThread() throws Exception {
        final Operations ops = new Operations(new LiveState(), Map.of(), System.nanoTime());
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final ObjectName name = new ObjectName(AgentMBean.NAME);
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        AgentMBean.registerLater(ops, TimeUnit.SECONDS.toNanos(20));
        assertThat(registering()).as("waiting to register").isTrue();
        AgentMBean.unregister();
        assertThat(registering()).as("the waiting thread ended with the stop").isFalse();
        assertThat(server.isRegistered(name)).isFalse();

        AgentMBean.registerLater(ops, 0L);
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.isRegistered(name) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(server.isRegistered(name)).as("registered after a new start").isTrue();
        AgentMBean.unregister();
        assertThat(server.isRegistered(name)).isFalse();
    }

    private static boolean registering() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("hotpath-jmx-register") && t.isAlive());
    }
}
