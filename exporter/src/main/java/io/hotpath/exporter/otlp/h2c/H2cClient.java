package io.hotpath.exporter.otlp.h2c;

import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Unary HTTP/2 requests over cleartext with prior knowledge ("h2c") to one endpoint, over one persistent connection
 * that is opened on first use and opened again after it fails or the peer sends GOAWAY.
 *
 * <p>Clients are shared per endpoint ({@link #acquire}): the exporter's metric, final-flush and log senders all use one
 * connection to a receiver, as HTTP/2 intends. The last {@link #release} closes it.
 */
public final class H2cClient {
    private static final Map<String, H2cClient> SHARED = new HashMap<>();

    /** A completed response: HTTP status, headers, body, trailers (empty when there were none). */
    public record Response(
            int status,
            Map<String, java.util.List<String>> headers,
            byte[] body,
            Map<String, java.util.List<String>> trailers) {}

    private final String host;
    private final int port;
    private final String key;
    private final long connectTimeoutNanos;
    private final int maxResponseBytes;
    private final ThreadFactory threads;
    private final ReentrantLock connecting = new ReentrantLock();
    private int users;
    private H2cConnection connection;

    private H2cClient(String host, int port, long connectTimeoutNanos, int maxResponseBytes, ThreadFactory threads) {
        this.host = host;
        this.port = port;
        this.key = host + ":" + port;
        this.connectTimeoutNanos = connectTimeoutNanos;
        this.maxResponseBytes = maxResponseBytes;
        this.threads = threads;
    }

    /**
     * The shared client for {@code host:port}; the first caller's connect timeout and response cap apply to the
     * connection. Pair with {@link #release()}.
     */
    public static H2cClient acquire(
            String host, int port, long connectTimeoutNanos, int maxResponseBytes, ThreadFactory threads) {
        synchronized (SHARED) {
            final H2cClient c = SHARED.computeIfAbsent(
                    host + ":" + port, k -> new H2cClient(host, port, connectTimeoutNanos, maxResponseBytes, threads));
            c.users++;
            return c;
        }
    }

    /** A client of its own, not shared; for tests. */
    static H2cClient unshared(String host, int port, long connectTimeoutNanos, int maxResponseBytes, ThreadFactory t) {
        final H2cClient c = new H2cClient(host, port, connectTimeoutNanos, maxResponseBytes, t);
        c.users = 1;
        return c;
    }

    /** Gives up one use; the last one closes the connection. */
    public void release() {
        final H2cConnection toClose;
        synchronized (SHARED) {
            if (--users > 0) {
                return;
            }
            SHARED.remove(key, this);
        }
        synchronized (this) {
            toClose = connection;
            connection = null;
        }
        if (toClose != null) {
            toClose.shutdown();
        }
    }

    /**
     * Sends one request and waits for the whole response.
     *
     * @param names header names, lower case, pseudo-headers ({@code :method}, {@code :scheme}, {@code :path},
     *     {@code :authority}) first
     * @param values header values, ISO-8859-1 text without CR, LF or NUL
     * @param deadline {@link System#nanoTime()} by which the response must be complete
     */
    public Response exchange(String[] names, String[] values, int count, byte[] body, long deadline)
            throws IOException, InterruptedException {
        final H2cConnection c = connection(deadline);
        final H2cConnection.Response r = c.exchange(names, values, count, body, deadline);
        return new Response(r.status(), r.headers(), r.body(), r.trailers());
    }

    /** {@code host:port}. */
    public String authority() {
        return key;
    }

    /**
     * The open connection, or a new one. Callers wait for one another while a connection is being opened (there is
     * one connection per endpoint), but never past their own deadline: the final export at exit must not queue behind
     * a periodic export's connect attempt to a host that does not answer.
     */
    private H2cConnection connection(long deadline) throws IOException, InterruptedException {
        final long left = deadline - System.nanoTime();
        if (left <= 0 || !connecting.tryLock(left, TimeUnit.NANOSECONDS)) {
            throw new HttpConnectTimeoutException("connect to " + key + " timed out waiting for another attempt");
        }
        try {
            H2cConnection c;
            synchronized (this) {
                c = connection;
            }
            if (c == null || !c.usable()) {
                c = H2cConnection.open(host, port, connectTimeoutNanos, deadline, maxResponseBytes, threads);
                synchronized (this) {
                    connection = c;
                }
            }
            return c;
        } finally {
            connecting.unlock();
        }
    }
}
