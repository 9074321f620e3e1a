package io.hotpath.agent.http;

import io.hotpath.agent.report.JsonWriter;
import java.nio.charset.StandardCharsets;

/**
 * One response: status, content type and body.
 *
 * @param status the HTTP status
 * @param contentType the {@code Content-Type}
 * @param body the bytes
 * @param allow for 405, the methods the route takes (the {@code Allow} header), else null
 * @param gzip the body's gzip form when it is cached with the document, else null (then it is compressed when asked)
 */
record Reply(int status, String contentType, byte[] body, String allow, java.util.function.Supplier<byte[]> gzip) {
    static final String JSON = "application/json; charset=utf-8";

    /** A reply with no cached gzip form. */
    Reply(int status, String contentType, byte[] body, String allow) {
        this(status, contentType, body, allow, null);
    }

    /** A 200 with a document cached for the tick. */
    static Reply json(CachedBody cached) {
        return new Reply(200, JSON, cached.bytes(), null, cached::gzip);
    }

    /** Whether the body is JSON (and so sent gzipped to a client that asks). */
    boolean isJson() {
        return contentType.equals(JSON);
    }

    /** A 200 with a JSON document. */
    static Reply json(String json) {
        return json(200, json);
    }

    static Reply json(int status, String json) {
        return new Reply(status, JSON, json.getBytes(StandardCharsets.UTF_8), null);
    }

    /** {@code {"error":"..."}}: one line naming the bad value and what is allowed. */
    static Reply error(int status, String line) {
        final StringBuilder b = new StringBuilder(line.length() + 16);
        new JsonWriter(b)
                .beginObject()
                .name("error")
                .value(line.replace('\n', ' ').replace('\r', ' '))
                .endObject();
        return json(status, b.append('\n').toString());
    }

    /** 405, naming the method and those allowed. */
    static Reply badMethod(String method, String path, String allow) {
        final Reply r =
                error(405, "method " + shown(method) + " not allowed on " + shown(path) + "; allowed: " + allow);
        return new Reply(405, r.contentType, r.body, allow);
    }

    /** Text from a request as an error line quotes it: at most 80 characters, controls escaped. */
    static String shown(String text) {
        return io.hotpath.agent.config.ProblemText.value(text);
    }
}
