package io.hotpath.agent.telemetry;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.exporter.ExportLog;

/** The exporter's messages go to the agent's log ({@code [hotpath] ...} on stderr, filtered by hotpath.log.level). */
final class AgentLogAdapter implements ExportLog {
    @Override
    public void debug(String message) {
        AgentLog.debug(message);
    }

    @Override
    public void info(String message) {
        AgentLog.info(message);
    }

    @Override
    public void warn(String message) {
        AgentLog.warn(message);
    }

    @Override
    public boolean debugEnabled() {
        return AgentLog.enabled(AgentLog.Level.DEBUG);
    }
}
