package io.hotpath.exporter;

import java.util.List;

/**
 * The exporter's log for tests: each info or warning line is added to {@code lines} as {@code INFO message} or
 * {@code WARN message}; debug lines are dropped.
 */
public record RecordingLog(List<String> lines) implements ExportLog {
    @Override
    public void debug(String message) {}

    @Override
    public void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
    }

    @Override
    public boolean debugEnabled() {
        return false;
    }
}
