package io.hotpath.agent.http;

import io.hotpath.agent.operate.Operations;
import io.hotpath.agent.report.PageJson;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON API's routes (docs/http-api.md), independent of the server so that every route and every bad request can
 * be tested without a socket. Reads are GET (or HEAD) and need no token; writes are POST with
 * {@code Authorization: Bearer <token>} and, when they take a body, a flat JSON object ({@link FlatJson}).
 */
final class Api {
    static final String PREFIX = "/api/";

    private static final Set<String> READS = Set.of(
            "dump",
            "page",
            "health",
            "findings",
            "incidents",
            "pipeline",
            "probes",
            "alerts",
            "tunables",
            "audit",
            "overhead");

    /** The query parameter of {@code /api/page}. */
    static final String TOP = "top";

    /** Who the audit names for a write through this API. */
    static final String WHO = "http";

    private final Operations ops;
    private final byte[] token;

    /** The dump's bytes (and gzip form) of the latest tick; guarded by this. */
    private CachedBody dumpBody;

    /** The page's bytes of the latest tick, by {@code top}, a few; guarded by this. */
    private final Map<Integer, CachedBody> pageBodies = new java.util.LinkedHashMap<>();

    Api(Operations ops, String token) {
        this.ops = ops;
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** A request as the API sees it; {@code rawQuery} is the part after {@code ?}, or null. */
    record Request(
            String method, String rawPath, String rawQuery, String authorization, String contentType, byte[] body) {
        /** A request with no query. */
        Request(String method, String rawPath, String authorization, String contentType, byte[] body) {
            this(method, rawPath, null, authorization, contentType, body);
        }
    }

    /** Answers one request; {@code body} null means it was larger than {@link HttpEndpoint#MAX_BODY}. */
    Reply handle(Request q) {
        final String method = q.method();
        final List<String> segments;
        try {
            segments = segments(q.rawPath().substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        if (segments.isEmpty()) {
            return notFound(q.rawPath());
        }
        final String first = segments.get(0);
        final Reply tool = toolRead(method, segments, q.rawPath(), q.rawQuery());
        if (tool != null) {
            return tool;
        }
        if (segments.size() == 1 && READS.contains(first)) {
            if (!isRead(method)) {
                return Reply.badMethod(method, q.rawPath(), "GET, HEAD");
            }
            if (first.equals("page")) {
                return page(q.rawQuery());
            }
            return read(first);
        }
        if (!isWriteRoute(segments)) {
            return notFound(q.rawPath());
        }
        if (!method.equals("POST")) {
            return Reply.badMethod(method, q.rawPath(), "POST");
        }
        if (!authorized(q.authorization())) {
            return Reply.error(
                    401,
                    q.authorization() == null
                            ? "writes need the header 'Authorization: Bearer <token>' (hotpath.http.token, or the token"
                                    + " logged at start)"
                            : "the bearer token does not match (hotpath.http.token, or the token logged at start)");
        }
        if (q.body() == null) {
            return Reply.error(
                    413, "request body over " + HttpEndpoint.MAX_BODY + " bytes; writes take a small JSON" + " object");
        }
        final Map<String, Object> body;
        if (q.body().length == 0) {
            body = Map.of();
        } else {
            final String type = q.contentType() == null ? "" : q.contentType().toLowerCase(Locale.ROOT);
            if (!type.startsWith("application/json")) {
                return Reply.error(
                        415,
                        "Content-Type " + Reply.shown(q.contentType() == null ? "(none)" : q.contentType())
                                + " not taken; send application/json");
            }
            try {
                body = FlatJson.parse(utf8(q.body()));
            } catch (FlatJson.BadJson e) {
                return Reply.error(400, "body is not a flat JSON object: " + e.getMessage());
            } catch (CharacterCodingException e) {
                return Reply.error(400, "body is not valid UTF-8");
            }
        }
        return write(segments, body);
    }

    /** The dump, its bytes and gzip form kept with it for the tick. */
    private Reply dump() {
        final String dump = ops.dump();
        if (dump == null) {
            return Reply.error(503, "no data yet: the first tick has not run; retry shortly");
        }
        synchronized (this) {
            if (dumpBody == null || !dumpBody.holds(dump)) {
                dumpBody = new CachedBody(dump);
            }
            return Reply.json(dumpBody);
        }
    }

    /**
     * {@code /api/page[?top=N]}: the page's document, its bytes and gzip form kept with it for the tick (a page polls
     * every second, and several tabs read the same tick).
     */
    private Reply page(String rawQuery) {
        final int top;
        try {
            top = top(rawQuery);
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        final Operations.Result r = ops.page(top);
        if (!r.ok()) {
            return Reply.json(r.status(), r.json());
        }
        synchronized (this) {
            CachedBody b = pageBodies.get(top);
            if (b == null || !b.holds(r.json())) {
                if (b == null && pageBodies.size() == 4) {
                    pageBodies.remove(pageBodies.keySet().iterator().next());
                }
                b = new CachedBody(r.json());
                pageBodies.put(top, b);
            }
            return Reply.json(b);
        }
    }

    /** The {@code top} parameter of a page query: absent means {@link PageJson#TOP_DEFAULT}. */
    static int top(String rawQuery) {
        final String allowed = "allowed: " + TOP + "=N with N a whole number from 1 to " + PageJson.TOP_MAX;
        final String value = query("page", rawQuery, List.of(TOP), allowed).get(TOP);
        if (value == null) {
            return PageJson.TOP_DEFAULT;
        }
        int top;
        try {
            top = value.length() > 6 ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            top = -1;
        }
        if (top < 1 || top > PageJson.TOP_MAX) {
            throw new IllegalArgumentException(TOP + "=" + Reply.shown(value) + " not allowed; " + allowed);
        }
        return top;
    }

    private Reply read(String route) {
        if (route.equals("dump")) {
            return dump();
        }
        final Operations.Result r =
                switch (route) {
                    case "health" -> ops.health();
                    case "findings" -> ops.findings();
                    case "incidents" -> ops.incidents();
                    case "pipeline" -> ops.pipeline();
                    case "probes" -> ops.probes();
                    case "alerts" -> ops.alerts();
                    case "tunables" -> ops.tunables();
                    case "audit" -> ops.audit();
                    default -> ops.overhead();
                };
        return Reply.json(r.status(), r.json());
    }

    private static boolean isWriteRoute(List<String> s) {
        final String first = s.get(0);
        return switch (s.size()) {
            case 1 -> first.equals("settings") || first.equals("trace");
            case 2 ->
                first.equals("tunables")
                        || first.equals("probes")
                        || first.equals("modules")
                        || (first.equals("optimizer") && s.get(1).equals("mode"))
                        || (first.equals("trace") && s.get(1).equals("stop"));
            case 3 ->
                (first.equals("alerts") && s.get(2).equals("ack"))
                        || (first.equals("tunables") && s.get(2).equals("reset"));
            default -> false;
        };
    }

    private Reply write(List<String> s, Map<String, Object> body) {
        final String first = s.get(0);
        final Operations.Result r;
        try {
            if (first.equals("trace")) {
                return traceWrite(s, body);
            }
            if (first.equals("settings")) {
                onlyMembers(body, "key", "value");
                r = ops.setting(text(body, "key"), text(body, "value"), WHO);
            } else if (first.equals("optimizer")) {
                onlyMembers(body, "mode");
                r = ops.mode(text(body, "mode"), WHO);
            } else if (first.equals("alerts")) {
                onlyMembers(body);
                r = ops.acknowledge(id(s.get(1)), WHO);
            } else if (first.equals("tunables") && s.size() == 3) {
                onlyMembers(body);
                r = ops.resetTunable(s.get(1), WHO);
            } else if (first.equals("tunables")) {
                onlyMembers(body, "value");
                r = ops.setTunable(s.get(1), whole(body, "value"), WHO);
            } else if (first.equals("probes")) {
                onlyMembers(body, "enabled");
                r = ops.probe(s.get(1), bool(body, "enabled"), WHO);
            } else {
                onlyMembers(body, "enabled");
                r = ops.module(s.get(1), bool(body, "enabled"), WHO);
            }
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        return Reply.json(r.status(), r.json());
    }

    // ---------------------------------------------------------------- debug tools

    /**
     * The debug tools' reads: {@code GET /api/inspect?probe=NAME}, {@code GET /api/queue-contents?probe=NAME[&max=N]}
     * and {@code GET /api/trace} (a {@code POST} there is a write, answered by {@link #traceWrite}). Null for any other
     * route.
     */
    private Reply toolRead(String method, List<String> segments, String rawPath, String rawQuery) {
        if (segments.size() != 1) {
            return null;
        }
        final String route = segments.get(0);
        final boolean inspect = route.equals("inspect");
        final boolean contents = route.equals("queue-contents");
        if (route.equals("trace") && isRead(method)) {
            final Reply bad = noQuery(route, rawQuery);
            if (bad != null) {
                return bad;
            }
            final Operations.Result r = ops.traceStatus();
            return Reply.json(r.status(), r.json());
        }
        if (!inspect && !contents) {
            return null;
        }
        if (!isRead(method)) {
            return Reply.badMethod(method, rawPath, "GET, HEAD");
        }
        final Map<String, String> params;
        try {
            params = query(route, rawQuery, inspect ? List.of("probe") : List.of("probe", "max"));
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        final Operations.Result r;
        if (inspect) {
            r = ops.inspect(params.get("probe"));
        } else {
            final String max = params.get("max");
            Long n = null;
            if (max != null) {
                try {
                    n = max.length() > 9 ? -1L : Long.parseLong(max);
                } catch (NumberFormatException e) {
                    return Reply.error(
                            400,
                            "max=" + Reply.shown(max) + " not allowed; allowed: a whole number from 1 to "
                                    + io.hotpath.agent.tools.Inspector.CONTENTS_MAX);
                }
            }
            r = ops.queueContents(params.get("probe"), n);
        }
        return Reply.json(r.status(), r.json());
    }

    /** {@code POST /api/trace} {@code {"probe","duration","max"}} and {@code POST /api/trace/stop}. */
    private Reply traceWrite(List<String> s, Map<String, Object> body) {
        final Operations.Result r;
        if (s.size() == 2) {
            onlyMembers(body);
            r = ops.traceStop(WHO);
        } else {
            onlyMembers(body, "probe", "duration", "max");
            r = ops.trace(
                    text(body, "probe"),
                    body.containsKey("duration") ? text(body, "duration") : null,
                    body.containsKey("max") ? whole(body, "max") : null,
                    WHO);
        }
        return Reply.json(r.status(), r.json());
    }

    private static Reply noQuery(String route, String rawQuery) {
        return rawQuery == null || rawQuery.isEmpty()
                ? null
                : Reply.error(
                        400, "query " + Reply.shown(rawQuery) + " not taken by /api/" + route + "; allowed: none");
    }

    /**
     * The query parameters of a tool route, percent-decoded; a parameter not in {@code allowed}, or given twice, is a
     * bad request naming it.
     */
    static Map<String, String> query(String route, String rawQuery, List<String> allowed) {
        return query(route, rawQuery, allowed, "allowed: " + String.join(", ", allowed));
    }

    /** {@link #query(String, String, List)}, with {@code allowedText} saying what a refused parameter could be. */
    static Map<String, String> query(String route, String rawQuery, List<String> allowed, String allowedText) {
        final Map<String, String> out = new java.util.LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&", 16)) {
            if (pair.isEmpty()) {
                continue;
            }
            final int eq = pair.indexOf('=');
            final String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(
                        "query parameter " + Reply.shown(name) + " not taken by /api/" + route + "; " + allowedText);
            }
            final String value;
            try {
                value = java.net.URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("query parameter " + name + " has a bad percent escape: "
                        + Reply.shown(pair) + "; allowed: %XX with two hex digits");
            }
            if (out.put(name, value) != null) {
                throw new IllegalArgumentException("query parameter " + name + " given twice; allowed: once");
            }
        }
        return out;
    }

    private static void onlyMembers(Map<String, Object> body, String... allowed) {
        for (String name : body.keySet()) {
            if (!List.of(allowed).contains(name)) {
                throw new IllegalArgumentException("member " + quoted(name) + " not taken here; allowed: "
                        + (allowed.length == 0 ? "none (send no body)" : String.join(", ", allowed)));
            }
        }
    }

    private static String text(Map<String, Object> body, String name) {
        final Object v = body.get(name);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("member " + quoted(name) + " must be a string, found " + describe(v));
        }
        return s;
    }

    private static long whole(Map<String, Object> body, String name) {
        final Object v = body.get(name);
        if (v instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("member " + quoted(name) + " = " + Reply.shown(d.toString())
                        + " is not a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
            }
        }
        throw new IllegalArgumentException("member " + quoted(name) + " must be a whole number, found " + describe(v));
    }

    private static boolean bool(Map<String, Object> body, String name) {
        final Object v = body.get(name);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("member " + quoted(name) + " must be true or false, found " + describe(v));
    }

    private static String describe(Object v) {
        if (v == null) {
            return "nothing (the member is missing)";
        }
        if (v instanceof String s) {
            return "the string " + quoted(s);
        }
        return Reply.shown(v.toString());
    }

    private static String quoted(String s) {
        return "\"" + Reply.shown(s) + "\"";
    }

    private static long id(String segment) {
        try {
            final long id = Long.parseLong(segment);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("alert id " + Reply.shown(segment) + " is not a positive whole number");
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    private static Reply notFound(String rawPath) {
        return Reply.error(404, "no route " + Reply.shown(rawPath) + "; see docs/http-api.md for the routes");
    }

    /** Splits and percent-decodes the path below {@code /api/}; a trailing slash is no segment. */
    static List<String> segments(String rest) {
        if (rest.isEmpty()) {
            return List.of();
        }
        final String[] parts = (rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest).split("/", -1);
        if (parts.length > 4) {
            throw new IllegalArgumentException(
                    "path has " + parts.length + " segments below /api/; routes have 1 to 3");
        }
        final String[] out = new String[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = decode(parts[i]);
            if (out[i].isEmpty()) {
                throw new IllegalArgumentException("empty path segment below /api/");
            }
        }
        return List.of(out);
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        final ByteArrayOutputStream b = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            final char c = segment.charAt(i);
            if (c == '%') {
                final int hi = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
                final int lo = hi < 0 ? -1 : Character.digit(segment.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new IllegalArgumentException("bad percent escape in path segment " + Reply.shown(segment)
                            + "; allowed: %XX with two hex digits");
                }
                b.write(hi * 16 + lo);
                i += 2;
            } else {
                b.write(c);
            }
        }
        try {
            return utf8(b.toByteArray());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("path segment " + Reply.shown(segment) + " is not UTF-8 once decoded");
        }
    }

    private static String utf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes))
                .toString();
    }
}
