package io.hotpath.exporter.otlp.h2c;

import java.io.IOException;

/** A header block that does not decode: an HTTP/2 {@code COMPRESSION_ERROR}, which ends the connection. */
final class HpackException extends IOException {
    private static final long serialVersionUID = 1L;

    HpackException(String message) {
        super(message);
    }
}
