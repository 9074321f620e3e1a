package io.hotpath.reference;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of a {@link StatusMessage}: a 4-byte big-endian length of the rest, then producer id (int), sequence
 * (long), creation time (long, {@link System#nanoTime()} of this JVM) and the payload in UTF-8.
 */
final class WireFrame {
    static final int HEADER = 4;
    private static final int FIXED = 4 + 8 + 8;

    private WireFrame() {}

    /** The whole frame, length prefix included. */
    static byte[] encode(StatusMessage m) {
        final byte[] payload = m.payload().getBytes(StandardCharsets.UTF_8);
        final ByteBuffer b = ByteBuffer.allocate(HEADER + FIXED + payload.length);
        b.putInt(FIXED + payload.length)
                .putInt(m.producerId())
                .putLong(m.sequence())
                .putLong(m.createdNanos())
                .put(payload);
        return b.array();
    }
}
