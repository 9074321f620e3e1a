package io.hotpath.agent.telemetry;

import io.hotpath.bootstrap.Probe;
import io.hotpath.exporter.Event;
import io.hotpath.exporter.Events;
import io.hotpath.exporter.Severity;
import java.util.List;
import java.util.Map;

/**
 * The agent's own events, each also an OTLP log record (see docs/metrics.md, "Events"). Called from the agent's
 * threads only, next to the log line that says the same to a person.
 */
public final class AgentEvents {
    /** Event name: the agent started. */
    public static final String STARTED = "hotpath.agent.started";

    /** Event name: a probe stopped recording after an internal error. */
    public static final String PROBE_DISABLED = "hotpath.probe.disabled";

    /** Event name: the optimizer recommended, changed, kept, rolled back, froze or restored a tunable. */
    public static final String OPTIMIZER = "hotpath.optimizer.action";

    /**
     * Prefix of an optimizer event's what-if attributes: {@code model} and the figures of {@link
     * io.hotpath.agent.optimize.whatif.Outcome#figures}, named as in the dump's {@code what_if} object.
     */
    public static final String WHAT_IF = "hotpath.optimizer.what_if.";

    /** Event name: the overhead budget sampled timings less, shed a probe's detail, or restored it. */
    public static final String OVERHEAD = "hotpath.agent.overhead";

    private AgentEvents() {}

    /**
     * One step of the overhead budget: {@code sample} (timing floor raised or lowered), {@code shed}, {@code restore}
     * or {@code exhausted}; {@code probe} is null for steps that are not about one probe.
     */
    public static void overhead(String action, Probe probe, String reason, String line, boolean warn) {
        final Event.Builder b = Event.builder(OVERHEAD, warn ? Severity.WARNING : Severity.INFO, line)
                .attribute("hotpath.agent.overhead.action", action)
                .attribute("hotpath.agent.overhead.reason", reason);
        if (probe != null) {
            b.attribute("hotpath.probe.name", probe.name())
                    .attribute("hotpath.probe.kind", probe.kind().label());
        }
        Events.emit(b.build());
    }

    /**
     * One entry of the optimizer's audit trail: a recommendation, change, verdict, rollback, freeze, retry or restore.
     * Rollbacks and freezes are warnings; the rest info.
     */
    public static void optimizer(io.hotpath.agent.optimize.AuditEntry e) {
        final boolean bad = e.action().equals("rollback") || e.action().equals("freeze");
        final Event.Builder b = Event.builder(OPTIMIZER, bad ? Severity.WARNING : Severity.INFO, e.line())
                .attribute("hotpath.optimizer.action", e.action())
                .attribute("hotpath.tunable.name", e.tunable())
                .attribute("hotpath.optimizer.mode", e.mode());
        if (e.from() != null) {
            b.attribute("hotpath.tunable.from", e.from().longValue());
        }
        if (e.to() != null) {
            b.attribute("hotpath.tunable.to", e.to().longValue());
        }
        if (e.reason() != null) {
            b.attribute("hotpath.optimizer.reason", e.reason());
        }
        if (e.whatIf() != null) {
            b.attribute(WHAT_IF + "model", e.whatIf().model());
            for (Map.Entry<String, Number> f : e.whatIf().figures().entrySet()) {
                if (f.getValue() instanceof Integer n) {
                    b.attribute(WHAT_IF + f.getKey(), n.longValue());
                } else {
                    b.attribute(WHAT_IF + f.getKey(), f.getValue().doubleValue());
                }
            }
        }
        Events.emit(b.build());
    }

    /** The agent started: how, and what it instruments. */
    public static void started(String version, boolean attached, List<String> instrumenting, double startMillis) {
        Events.emit(Event.builder(
                        STARTED,
                        Severity.INFO,
                        "hotpath " + version + " started (" + (attached ? "attached" : "premain") + "); instrumenting: "
                                + (instrumenting.isEmpty() ? "nothing" : String.join(", ", instrumenting)))
                .attribute("hotpath.agent.start_mode", attached ? "attach" : "premain")
                .attribute("hotpath.agent.instrumenting", String.join(",", instrumenting))
                .attribute("hotpath.agent.start.duration", startMillis / 1000.0)
                .build());
    }

    /** A probe stopped recording after an internal error; the application is unaffected. */
    public static void probeDisabled(Probe probe) {
        final Throwable fault = probe.fault();
        final Event.Builder b = Event.builder(
                        PROBE_DISABLED,
                        Severity.WARNING,
                        "probe " + probe.name() + " stopped recording after an internal error; the application is"
                                + " unaffected")
                .attribute("hotpath.probe.name", probe.name())
                .attribute("hotpath.probe.kind", probe.kind().label());
        if (fault != null) {
            b.attribute("exception.type", fault.getClass().getName());
            if (fault.getMessage() != null) {
                b.attribute("exception.message", fault.getMessage());
            }
        }
        Events.emit(b.build());
    }
}
