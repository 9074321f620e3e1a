package io.hotpath.exporter;

/**
 * Where the exporter's own messages go: the agent's log ({@code [hotpath] WARN ...} on stderr). The exporter never
 * writes to stderr itself and never logs a header value.
 */
public interface ExportLog {
    /** Detail shown only at {@code hotpath.log.level=debug}. */
    void debug(String message);

    /** A normal-operation message. */
    void info(String message);

    /** Something the user should look at. */
    void warn(String message);

    /** Whether debug messages are shown; lets callers skip building them. */
    boolean debugEnabled();

    /** A log that prints nothing, for tests and benchmarks. */
    static ExportLog silent() {
        return new ExportLog() {
            @Override
            public void debug(String message) {}

            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {}

            @Override
            public boolean debugEnabled() {
                return false;
            }
        };
    }
}
