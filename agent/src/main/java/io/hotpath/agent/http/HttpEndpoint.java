package io.hotpath.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.operate.Operations;
import io.hotpath.bootstrap.ipc.AgentThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The local HTTP endpoint on the JDK's built-in server: the JSON API under {@code /api/} and the dashboard's files
 * at {@code /}. Every exchange runs on the agent's one worker thread ({@link DeadlineExecutor}); the server's own
 * dispatcher and timer threads are created by the JDK in the thread group of the thread that builds the server, so it
 * is built on an agent thread and they count as the agent's too (and their sockets are not the application's).
 */
public final class HttpEndpoint {
    /** Largest request body read; a larger one gets 413 without being read. */
    static final int MAX_BODY = 64 * 1024;

    /** Longest one exchange (reading the request, answering, writing the response) may take. */
    static final long DEADLINE_NANOS = 10_000_000_000L;

    /** The start line's prefix; tools parse the address after it. */
    public static final String STARTED = "HTTP endpoint on http://";

    private final HttpServer server;
    private final DeadlineExecutor executor;
    private final Api api;
    private final StaticFiles files;

    private HttpEndpoint(HttpServer server, DeadlineExecutor executor, Operations ops, String token) {
        this.server = server;
        this.executor = executor;
        this.api = new Api(ops, token);
        this.files = new StaticFiles(HttpEndpoint.class.getClassLoader());
    }

    /**
     * Starts the endpoint on an agent thread, without holding up the caller; logs the address (or why it could not
     * bind) in one line. Never throws.
     */
    public static void start(String host, int port, Operations ops, java.util.Optional<String> token) {
        final Thread starter = AgentThreads.newThread(
                () -> {
                    try {
                        running = open(host, port, ops, token.orElse(null));
                    } catch (Throwable t) {
                        AgentLog.warn("HTTP endpoint not started on hotpath.http.host=" + host + " hotpath.http.port="
                                + port + ": " + t + "; the application continues without it");
                    }
                },
                "hotpath-http-start");
        starter.start();
    }

    /** Binds and starts on the calling thread (tests and benchmarks; the agent uses {@link #start}). */
    public static HttpEndpoint open(String host, int port, Operations ops, String configuredToken) throws IOException {
        final InetAddress address = InetAddress.getByName(host);
        final HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 32);
        final DeadlineExecutor executor = new DeadlineExecutor(DEADLINE_NANOS);
        final String token = configuredToken != null ? configuredToken : newToken();
        final HttpEndpoint endpoint = new HttpEndpoint(server, executor, ops, token);
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        if (!address.isLoopbackAddress()) {
            AgentLog.warn("hotpath.http.host=" + host + " is not a loopback address: the HTTP endpoint is reachable"
                    + " from the network");
        }
        AgentLog.info(STARTED + hostText(server.getAddress()) + ":"
                + server.getAddress().getPort() + "/");
        // The one place the token is ever shown; a configured token is not repeated.
        AgentLog.info(configuredToken != null ? "HTTP write token: from hotpath.http.token" : TOKEN_LINE + token);
        return endpoint;
    }

    /** The dashboard's Content-Security-Policy, sent with every answer. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** The token line's prefix. */
    public static final String TOKEN_LINE = "HTTP write token: ";

    /** 128 random bits, URL-safe base64 (22 characters). */
    static String newToken() {
        final byte[] bits = new byte[16];
        new java.security.SecureRandom().nextBytes(bits);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    private static String hostText(InetSocketAddress a) {
        final String h = a.getAddress().getHostAddress();
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Exchanges cut off at the deadline so far. */
    long timedOut() {
        return executor.interrupted();
    }

    /** The endpoint {@link #start} opened, if any. */
    private static volatile HttpEndpoint running;

    /** Stops the endpoint {@link #start} opened, if any (the attach CLI's stop). */
    public static void stopRunning() {
        final HttpEndpoint e = running;
        running = null;
        if (e != null) {
            e.stop();
        }
    }

    /** Stops at once; for tests and benchmarks. */
    public void stop() {
        server.stop(0);
        executor.shutdown();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            final Reply reply = answer(ex);
            send(ex, reply);
        } catch (Throwable t) {
            // A client that went away mid-response, an interrupt at the deadline: the exchange is closed above and
            // the endpoint goes on. Anything else is ours: logged once.
            if (!(t instanceof IOException)) {
                AgentLog.once(AgentLog.Level.WARN, "http:" + t.getClass().getName(), "HTTP request failed: " + t);
            }
        }
    }

    private Reply answer(HttpExchange ex) throws IOException {
        final String method = ex.getRequestMethod();
        final String path = ex.getRequestURI().getRawPath();
        if (path == null || path.isEmpty()) {
            return Reply.error(400, "no request path");
        }
        if (path.startsWith(Api.PREFIX)) {
            return api.handle(new Api.Request(
                    method,
                    path,
                    ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("Content-Type"),
                    method.equals("POST") ? body(ex) : new byte[0]));
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Reply.badMethod(method, path, "GET, HEAD");
        }
        final StaticFiles.File f = files.find(path);
        if (f == null) {
            return Reply.error(404, "no file " + Reply.shown(path) + "; the page is at / and the API under /api/");
        }
        return new Reply(200, f.contentType(), f.bytes(), null);
    }

    private static void send(HttpExchange ex, Reply r) throws IOException {
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // The page loads only its own files and talks only to this endpoint (DashboardFilesTest keeps it so).
        ex.getResponseHeaders().set("Content-Security-Policy", CSP);
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        if (r.allow() != null) {
            ex.getResponseHeaders().set("Allow", r.allow());
        }
        // JSON goes gzipped to a client that asks (a document cached for the tick is compressed once, with it); the
        // page's own files and every answer to a client that does not ask go as they are.
        final boolean gzip = r.isJson() && Gzip.accepted(ex.getRequestHeaders().getFirst("Accept-Encoding"));
        if (r.isJson()) {
            ex.getResponseHeaders().set("Vary", "Accept-Encoding");
        }
        if (gzip) {
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(r.status(), -1);
            return;
        }
        final byte[] body = !gzip ? r.body() : r.gzip() != null ? r.gzip().get() : Gzip.of(r.body());
        ex.sendResponseHeaders(r.status(), body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Reads the body, at most {@link #MAX_BODY} bytes; null when it is longer (a declared length over the limit is
     * not read at all: the connection is closed after the 413).
     */
    private static byte[] body(HttpExchange ex) throws IOException {
        final String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > MAX_BODY) {
                    ex.getResponseHeaders().set("Connection", "close");
                    return null;
                }
            } catch (NumberFormatException e) {
                return null; // the JDK server refuses a bad length before this
            }
        }
        final InputStream in = ex.getRequestBody();
        final byte[] b = in.readNBytes(MAX_BODY + 1);
        if (b.length > MAX_BODY) {
            ex.getResponseHeaders().set("Connection", "close");
            return null;
        }
        return b;
    }
}
