package io.hotpath.agent.operate;

import io.hotpath.agent.log.AgentLog;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The {@link AgentMXBean} over {@link Operations}: every read and write is the operations layer's, so JMX and HTTP
 * cannot differ. Registering opens no port; the bean is reachable wherever the JVM's JMX already is (jconsole or JMC
 * on the local JVM, or a remote connector the application configured).
 */
public final class AgentMBean implements AgentMXBean {
    /** The bean's name. */
    public static final String NAME = "io.hotpath:type=Agent";

    static final String WHO = "jmx";

    private final Operations ops;

    public AgentMBean(Operations ops) {
        this.ops = ops;
    }

    /** The registration waiting to happen ({@link #registerLater}), until the next {@link #unregister}. */
    private static volatile Later pending;

    /**
     * Registers the bean on an agent thread {@code delayNanos} from now, unless {@link #unregister} comes first: then
     * the waiting thread ends at once, without registering, before {@code unregister} returns.
     */
    public static void registerLater(Operations ops, long delayNanos) {
        pending = Later.start("hotpath-jmx-register", delayNanos, () -> register(ops));
    }

    /** Registers the bean on the platform MBean server; a failure is logged once and leaves the agent running. */
    public static void register(Operations ops) {
        try {
            final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            final ObjectName name = new ObjectName(NAME);
            if (!server.isRegistered(name)) {
                server.registerMBean(new AgentMBean(ops), name);
            }
        } catch (JMException | RuntimeException e) {
            AgentLog.warn("JMX bean " + NAME + " not registered: " + e + "; hotpath.jmx.enabled=false turns it off");
        }
    }

    /**
     * Takes the bean off the platform MBean server, if it is there (the attach CLI's stop); a registration still
     * waiting ({@link #registerLater}) is called off and its thread has ended when this returns (or a second passed).
     */
    public static void unregister() {
        final Later waiting = pending;
        if (waiting != null) {
            waiting.cancel();
            pending = null;
        }
        try {
            final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            final ObjectName name = new ObjectName(NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException | RuntimeException e) {
            AgentLog.warn("JMX bean " + NAME + " not unregistered: " + e);
        }
    }

    @Override
    public String getHealthState() {
        return ops.healthState();
    }

    @Override
    public double getHealthScore() {
        return ops.healthScore();
    }

    @Override
    public int getFindingCount() {
        return ops.findingCount();
    }

    @Override
    public String getMode() {
        return ops.mode();
    }

    @Override
    public String getDumpJson() {
        final String d = ops.dump();
        return d == null ? "" : d;
    }

    @Override
    public String getHealthJson() {
        return ops.health().json();
    }

    @Override
    public String getFindingsJson() {
        return ops.findings().json();
    }

    @Override
    public String getProbesJson() {
        return ops.probes().json();
    }

    @Override
    public String getAlertsJson() {
        return ops.alerts().json();
    }

    @Override
    public String getTunablesJson() {
        return ops.tunables().json();
    }

    @Override
    public String getAuditJson() {
        return ops.audit().json();
    }

    @Override
    public String getOverheadJson() {
        return ops.overhead().json();
    }

    @Override
    public String acknowledgeAlert(long id) {
        return ops.acknowledge(id, WHO).json();
    }

    @Override
    public String setMode(String mode) {
        return ops.mode(mode, WHO).json();
    }

    @Override
    public String setTunable(String name, long value) {
        return ops.setTunable(name, value, WHO).json();
    }

    @Override
    public String resetTunable(String name) {
        return ops.resetTunable(name, WHO).json();
    }

    @Override
    public String setProbeEnabled(String name, boolean enabled) {
        return ops.probe(name, enabled, WHO).json();
    }

    @Override
    public String setModuleEnabled(String name, boolean enabled) {
        return ops.module(name, enabled, WHO).json();
    }

    @Override
    public String setSetting(String key, String value) {
        return ops.setting(key, value, WHO).json();
    }

    @Override
    public String startTrace(String name, String duration, long max) {
        return ops.trace(
                        name,
                        duration == null || duration.isBlank() ? null : duration,
                        max == 0 ? null : Long.valueOf(max),
                        WHO)
                .json();
    }

    @Override
    public String stopTrace() {
        return ops.traceStop(WHO).json();
    }

    @Override
    public String inspect(String name) {
        return ops.inspect(name).json();
    }

    @Override
    public String queueContents(String name, long max) {
        return ops.queueContents(name, max == 0 ? null : Long.valueOf(max)).json();
    }
}
