package io.hotpath.it.otlp;

import java.io.IOException;

/** What the fault it-tests do with a receiver, over HTTP or gRPC alike: start it, kill it, read what it received. */
public interface OtlpReceiver extends AutoCloseable {
    /** Starts listening on the receiver's port (again, after {@link #stop}). */
    OtlpReceiver start() throws IOException;

    /** Stops listening and drops open connections, keeping what was received. */
    void stop();

    /** The URL the agent is given, {@code http://127.0.0.1:<port>}. */
    String endpoint();

    /** Everything received so far. */
    Received received();

    @Override
    void close();
}
