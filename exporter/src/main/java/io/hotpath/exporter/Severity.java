package io.hotpath.exporter;

/** How serious an {@link Event} is; maps onto the OpenTelemetry log severity numbers. */
public enum Severity {
    /** Detail for debugging the agent. */
    DEBUG(5),
    /** Something happened that a user may want to know: the agent started, a tuning action was applied. */
    INFO(9),
    /** Something needs attention: a probe stopped, a queue is saturated. */
    WARN(13),
    /** Something failed and needs action. */
    ERROR(17);

    private final int number;

    Severity(int number) {
        this.number = number;
    }

    /** The OpenTelemetry {@code SeverityNumber} of the first level of this range (DEBUG=5, INFO=9, ...). */
    public int number() {
        return number;
    }
}
