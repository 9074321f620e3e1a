package io.hotpath.agent.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * gzip for the JSON answers, when the request's {@code Accept-Encoding} asks for it (RFC 9110 section 12.5.3). The
 * fastest level: the documents are repetitive JSON that the first level already shrinks several times over, and a
 * higher level would cost the agent's thread more than the bytes it saves on loopback.
 */
final class Gzip {
    /** The deflater's input and output buffer; the whole body is in memory already, this only bounds the copy. */
    private static final int BUFFER = 8 * 1024;

    private Gzip() {}

    /** The gzip member of {@code body}. */
    static byte[] of(byte[] body) {
        // JSON shrinks five to ten times; start the output at a quarter so that it seldom grows more than twice.
        final ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
        try (GZIPOutputStream gz = new FastGzip(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    /**
     * Whether an {@code Accept-Encoding} value accepts gzip: a {@code gzip} (or {@code x-gzip}) coding, or {@code *},
     * whose weight is not 0. Absent or unreadable: no.
     */
    static boolean accepted(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        boolean named = false;
        boolean gzip = false;
        boolean any = false;
        for (String part : acceptEncoding.split(",", 32)) {
            final int semi = part.indexOf(';');
            final String coding =
                    (semi < 0 ? part : part.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
            final boolean allowed = semi < 0 || !zeroWeight(part.substring(semi + 1));
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                named = true;
                gzip = allowed;
            } else if (coding.equals("*")) {
                any = allowed;
            }
        }
        return named ? gzip : any;
    }

    /** Whether parameters such as {@code q=0.000} give the coding weight 0 (not acceptable). */
    private static boolean zeroWeight(String params) {
        for (String p : params.split(";", 8)) {
            final String t = p.trim().toLowerCase(Locale.ROOT);
            if (t.startsWith("q=")) {
                try {
                    return Double.parseDouble(t.substring(2).trim()) <= 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, BUFFER);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
