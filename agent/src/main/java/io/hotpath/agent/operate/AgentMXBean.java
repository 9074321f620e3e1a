package io.hotpath.agent.operate;

/**
 * The agent as JMX sees it ({@code io.hotpath:type=Agent}): the HTTP API's reads as JSON strings plus simple
 * attributes for consoles, and its writes as operations, audited as {@code jmx}. Each write returns the same JSON an
 * HTTP write answers: {@code {"done":...}} or {@code {"error":"..."}}.
 */
public interface AgentMXBean {
    /** {@code healthy}, {@code degraded} or {@code unhealthy}. */
    String getHealthState();

    /** Overall health 0..1. */
    double getHealthScore();

    /** Active and recently resolved findings. */
    int getFindingCount();

    /** The optimizer's mode: {@code off}, {@code advise} or {@code apply}. */
    String getMode();

    /** The dump document of the latest tick ({@code docs/dump-format.md}); empty before the first tick. */
    String getDumpJson();

    String getHealthJson();

    String getFindingsJson();

    String getProbesJson();

    String getAlertsJson();

    String getTunablesJson();

    String getAuditJson();

    String getOverheadJson();

    String acknowledgeAlert(long id);

    String setMode(String mode);

    String setTunable(String name, long value);

    String resetTunable(String name);

    String setProbeEnabled(String name, boolean enabled);

    String setModuleEnabled(String name, boolean enabled);

    String setSetting(String key, String value);

    /**
     * Starts a trace of probe {@code name}: {@code duration} as text ({@code 30s}; empty for hotpath.trace.duration),
     * {@code max} events ({@code 0} for hotpath.trace.max).
     */
    String startTrace(String name, String duration, long max);

    /** Ends the running trace early. */
    String stopTrace();

    /** The probe's inspection, as {@code GET /api/inspect}. */
    String inspect(String name);

    /** A queue's bounded contents, as {@code GET /api/queue-contents} ({@code max} 0 for the default). */
    String queueContents(String name, long max);
}
