package io.hotpath.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard's files, served from the class-path folder {@value #BASE}. A request path is accepted only when every
 * segment is made of letters, digits, {@code .}, {@code _} and {@code -} and none starts with a dot, so {@code ..},
 * encoded separators and hidden files never reach the class loader. {@code /} is {@code index.html}; without one, a
 * plain page says the dashboard is not built.
 */
final class StaticFiles {
    static final String BASE = "io/hotpath/agent/http/dashboard/";

    /** Largest file served; the page and its script are far smaller. */
    private static final int MAX_BYTES = 8 << 20;

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8",
            "map", "application/json; charset=utf-8");

    static final String NOT_BUILT = "<!doctype html><html><head><meta charset=\"utf-8\"><title>hotpath</title></head>"
            + "<body><h1>hotpath</h1><p>The dashboard is not built into this agent jar. The JSON API is at"
            + " <a href=\"/api/dump\">/api/dump</a> (see docs/http-api.md).</p></body></html>\n";

    /** A file to send. */
    record File(String contentType, byte[] bytes) {}

    private final ClassLoader loader;

    StaticFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** The file for a raw request path, or null when there is none (or the path is not allowed). */
    File find(String rawPath) throws IOException {
        final String rel = rawPath.equals("/") ? "index.html" : relative(rawPath);
        if (rel == null) {
            return null;
        }
        final int dot = rel.lastIndexOf('.');
        final String type = dot < 0 ? null : TYPES.get(rel.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(BASE + rel)) {
            if (in == null) {
                return rel.equals("index.html")
                        ? new File(TYPES.get("html"), NOT_BUILT.getBytes(StandardCharsets.UTF_8))
                        : null;
            }
            final byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            return bytes.length > MAX_BYTES ? null : new File(type, bytes);
        }
    }

    /** The path below the folder, or null when any segment is not allowed. */
    static String relative(String rawPath) {
        if (!rawPath.startsWith("/") || rawPath.length() > 200) {
            return null;
        }
        final String rel = rawPath.substring(1);
        if (rel.isEmpty()) {
            return null;
        }
        for (String segment : rel.split("/", -1)) {
            if (segment.isEmpty() || segment.charAt(0) == '.') {
                return null;
            }
            for (int i = 0; i < segment.length(); i++) {
                final char c = segment.charAt(i);
                if (!((c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '.'
                        || c == '_'
                        || c == '-')) {
                    return null;
                }
            }
        }
        return rel;
    }
}
