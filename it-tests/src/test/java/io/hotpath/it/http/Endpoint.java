package io.hotpath.it.http;

import io.hotpath.it.Launch;
import io.hotpath.it.otlp.ExportChecks;
import io.hotpath.it.security.ListeningSockets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A JVM launched with the agent's HTTP endpoint: finds the launched process by a marker in its command line and its
 * listening socket in {@code /proc}, and talks to it with the JDK's HTTP client.
 */
public final class Endpoint {
    public final CompletableFuture<Launch.Result> run;
    public final long pid;
    public final List<String> listening;
    public final int port;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Endpoint(CompletableFuture<Launch.Result> run, long pid, List<String> listening) {
        this.run = run;
        this.pid = pid;
        this.listening = listening;
        final String only = listening.get(0);
        this.port = Integer.parseInt(only.substring(only.lastIndexOf(':') + 1));
    }

    /** Starts {@code launch} (whose command line contains {@code marker}) and waits until its endpoint listens. */
    public static Endpoint start(Launch launch, String marker) throws Exception {
        final CompletableFuture<Launch.Result> run = ExportChecks.inBackground(launch);
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && !run.isDone()) {
            for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
                if (p.info().commandLine().orElse("").contains(marker)) {
                    try {
                        final List<String> l = ListeningSockets.of(p.pid());
                        if (!l.isEmpty()) {
                            return new Endpoint(run, p.pid(), l);
                        }
                    } catch (IOException exited) {
                        // gone between the listing and the look
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(
                "no listening socket appeared\n" + (run.isDone() ? run.get().describe() : "(still running)"));
    }

    /** A GET; the response body as text. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(20))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A POST of a JSON body; {@code token} null sends no Authorization header. */
    public HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        final HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** GET until the answer is 200 (the first tick publishes the data), at most 30 s. */
    public HttpResponse<String> getWhenReady(String path) throws Exception {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        HttpResponse<String> r = get(path);
        while (r.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = get(path);
        }
        return r;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
