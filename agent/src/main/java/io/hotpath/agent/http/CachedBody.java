package io.hotpath.agent.http;

import java.nio.charset.StandardCharsets;

/**
 * A document that is served many times (the dump or the page of one tick): its UTF-8 bytes, and its gzip form made on
 * the first request that asks for it and kept with it, so that a repeated read costs neither an encoding nor a
 * compression. Recognised by the identity of the text the operations layer caches per tick.
 */
final class CachedBody {
    private final String text;
    private final byte[] bytes;
    private byte[] gzip;

    CachedBody(String text) {
        this.text = text;
        this.bytes = text.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether this holds {@code text} (the same instance: the operations layer hands out one per tick). */
    boolean holds(String other) {
        return text == other;
    }

    byte[] bytes() {
        return bytes;
    }

    synchronized byte[] gzip() {
        if (gzip == null) {
            gzip = Gzip.of(bytes);
        }
        return gzip;
    }
}
