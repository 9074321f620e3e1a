package io.hotpath.agent.alert;

import io.hotpath.agent.log.AgentLog;

/** Alerts as one line each in the agent's log (stderr): critical and warning as warnings, the rest as info. */
final class LogAlertChannel implements AlertChannel {
    @Override
    public String name() {
        return "log";
    }

    @Override
    public void send(Alert a) {
        // A health alert's type and kind are both "health": say it once.
        final String what = a.kind().equals(a.type()) ? a.type() : a.type() + " " + a.kind();
        final String line = "alert " + a.severity().label() + " " + what
                + (a.probe().isEmpty() ? "" : " " + a.probe()) + ": " + a.message()
                + (a.recommendation().isEmpty() ? "" : " -- " + a.recommendation());
        AgentLog.log(
                a.severity() == io.hotpath.exporter.Severity.INFO ? AgentLog.Level.INFO : AgentLog.Level.WARN, line);
    }
}
