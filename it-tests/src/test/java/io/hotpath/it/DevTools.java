package io.hotpath.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client: one live page that keeps
 * running (polling, timers) while the test evaluates script in it, waits for the DOM to change, clicks and takes
 * screenshots. {@link #close} kills the browser's whole process tree.
 */
final class DevTools implements AutoCloseable {
    private static final JsonMapper JSON = new JsonMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final Process browser;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    private DevTools(Process browser, Path profile, WebSocket socket) {
        this.browser = browser;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts the browser on a blank page, {@code width} × {@code height}, and connects to that page. */
    static DevTools start(Path binary, int width, int height) throws IOException, InterruptedException {
        final Path profile = Files.createTempDirectory("hotpath-devtools-");
        final Path err = Launch.workFile("devtools-chromium-stderr.txt");
        final List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        cmd.addAll(Chromium.HEADLESS);
        cmd.addAll(List.of(
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "about:blank"));
        final Process p = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
        try {
            final int port = port(p, profile.resolve("DevToolsActivePort"), err);
            final HttpClient http = HttpClient.newHttpClient();
            final String list = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .timeout(CALL_TIMEOUT)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String ws = null;
            for (Object t : (List<?>) Json.parse(list)) {
                final Map<?, ?> target = (Map<?, ?>) t;
                if ("page".equals(target.get("type"))) {
                    ws = (String) target.get("webSocketDebuggerUrl");
                    break;
                }
            }
            if (ws == null) {
                throw new IOException("no page target in " + list);
            }
            final DevTools[] self = new DevTools[1];
            final Listener listener = new Listener(self);
            final WebSocket socket = http.newWebSocketBuilder()
                    .connectTimeout(CALL_TIMEOUT)
                    .buildAsync(URI.create(ws), listener)
                    .get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            self[0] = new DevTools(p, profile, socket);
            return self[0];
        } catch (IOException | InterruptedException | RuntimeException e) {
            Chromium.kill(p);
            throw e;
        } catch (Exception e) {
            Chromium.kill(p);
            throw new IOException("cannot connect to Chromium's DevTools: " + e, e);
        }
    }

    private static int port(Process p, Path file, Path err) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.isRegularFile(file)) {
                final List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("Chromium wrote no DevToolsActivePort (alive: " + p.isAlive() + "); stderr:\n"
                + Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Collects each message's text frames and completes the call it answers. */
    private static final class Listener implements WebSocket.Listener {
        private final DevTools[] self;
        private final StringBuilder text = new StringBuilder();

        Listener(DevTools[] self) {
            this.self = self;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                final String message = text.toString();
                text.setLength(0);
                final DevTools d = self[0];
                if (d != null) {
                    d.received(message);
                }
            }
            ws.request(1);
            return null;
        }
    }

    private void received(String message) {
        final Map<String, Object> m = Json.object(message);
        if (m.get("id") instanceof Long id) {
            final CompletableFuture<Map<String, Object>> f = pending.remove(id.intValue());
            if (f != null) {
                f.complete(m);
            }
        }
    }

    /** Calls a protocol method and returns its {@code result}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(String method, Map<String, Object> params) throws IOException, InterruptedException {
        final int id = ids.incrementAndGet();
        final CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
        pending.put(id, f);
        final Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("id", id);
        msg.put("method", method);
        msg.put("params", params);
        try {
            socket.sendText(JSON.writeValueAsString(msg), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            final Map<String, Object> answer = f.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer.containsKey("error")) {
                throw new IOException(method + " failed: " + answer.get("error"));
            }
            return (Map<String, Object>) answer.getOrDefault("result", Map.of());
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            pending.remove(id);
            throw new IOException(method + " got no answer: " + e, e);
        }
    }

    /** Opens {@code url} in the page. */
    void navigate(String url) throws IOException, InterruptedException {
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a script expression (awaiting a promise), as JSON-like Java objects; exceptions fail. */
    @SuppressWarnings("unchecked")
    Object eval(String expression) throws IOException, InterruptedException {
        final Map<String, Object> r =
                call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (r.containsKey("exceptionDetails")) {
            throw new IOException("script failed: " + expression + ": " + r.get("exceptionDetails"));
        }
        return ((Map<String, Object>) r.get("result")).get("value");
    }

    /** True when the expression is true within {@code within}, polling every 200 ms. */
    boolean waitFor(String expression, Duration within) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            if (Boolean.TRUE.equals(eval(expression))) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(200);
        }
    }

    /** The page's DOM as HTML. */
    String dom() throws IOException, InterruptedException {
        return (String) eval("document.documentElement.outerHTML");
    }

    /** Saves a PNG of the whole page. */
    void screenshot(Path png) throws IOException, InterruptedException {
        final Map<String, Object> r =
                call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode((String) r.get("data")));
    }

    @Override
    public void close() {
        socket.abort();
        try {
            Chromium.kill(browser);
        } catch (InterruptedException e) {
            // Killed already (destroyForcibly comes first); only the wait for its exit was cut short.
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // A file the browser still held is left in the temporary directory.
        }
    }
}
