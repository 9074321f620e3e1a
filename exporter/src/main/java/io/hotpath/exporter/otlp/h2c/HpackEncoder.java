package io.hotpath.exporter.otlp.h2c;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The simplest correct HPACK encoder: every field a literal without indexing with a literal name, no Huffman. A gRPC
 * request has about ten short headers, so compression would save a few hundred bytes per export; in exchange the
 * encoder keeps no table and cannot get out of step with the peer.
 *
 * <p>The first block on a connection starts with a dynamic table size update to 0, so that whatever table size the
 * peer announces later, ours (empty) is already within it (RFC 7541 4.2).
 */
final class HpackEncoder {
    private boolean first = true;

    /** Appends one header block for {@code names}/{@code values} (lower-case names, ISO-8859-1 text) to {@code out}. */
    void encode(String[] names, String[] values, int count, ByteArrayOutputStream out) {
        if (first) {
            integer(out, 0x20, 5, 0);
            first = false;
        }
        for (int i = 0; i < count; i++) {
            out.write(0x00);
            string(out, names[i]);
            string(out, values[i]);
        }
    }

    private static void string(ByteArrayOutputStream out, String s) {
        final byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        integer(out, 0x00, 7, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    /** RFC 7541 5.1. */
    static void integer(ByteArrayOutputStream out, int firstBits, int prefix, int value) {
        final int mask = (1 << prefix) - 1;
        if (value < mask) {
            out.write(firstBits | value);
            return;
        }
        out.write(firstBits | mask);
        int rest = value - mask;
        while (rest >= 0x80) {
            out.write((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        out.write(rest);
    }
}
