package io.hotpath.exporter.otlp.h2c;

import java.io.IOException;

/** A connection error (RFC 9113 5.4.1): the connection is closed with GOAWAY carrying {@link #code()}. */
final class H2Exception extends IOException {
    private static final long serialVersionUID = 1L;
    private final int code;

    H2Exception(int code, String message) {
        super(message);
        this.code = code;
    }

    int code() {
        return code;
    }
}
