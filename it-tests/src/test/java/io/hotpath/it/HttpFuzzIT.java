package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.it.http.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fuzzed request corpus against the endpoint in the reference broadcaster's JVM: malformed JSON, huge bodies, bad
 * methods, bad paths (with {@code ..}), unknown ids, garbage request lines, and slow clients that hold connections.
 * Every request must get an answer (or its connection closed, for what the JDK server itself refuses), the endpoint
 * must answer a good request afterwards, and the application's own counts must equal its ground truth exactly.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HttpFuzzIT {
    static final String TOKEN = "fuzz-token-0123456789abcdef";

    @Test
    void endpointAndApplicationSurviveTheCorpus() throws Exception {
        final Path jdk = Path.of(System.getProperty("java.home"));
        final Path dump = Launch.workFile("http-fuzz-dump.json");
        final Launch launch = Launch.on(jdk)
                .prop("hotpath.http.port", "0")
                .prop("hotpath.http.token", TOKEN)
                .prop("hotpath.export.exporter", "none")
                .prop("hotpath.dump.file", dump.toString())
                .prop("hotpath.optimizer.mode", "advise")
                .prop("hotpath.tunables", OptimizerIT.TUNABLES)
                .referenceApp("--scenario", "sustained", "--duration", "40s", "--rate", "2000", "--quiet")
                .timeout(Duration.ofSeconds(200));
        final Endpoint e = Endpoint.start(launch, dump.toString());
        assertThat(e.getWhenReady("/api/dump").statusCode()).isEqualTo(200);

        final Map<String, Integer> statuses = new TreeMap<>();
        final Random random = new Random(42);
        final List<String> corpus = corpus(random);
        // Slow clients: each sends part of a request and stalls, holding a connection (and, for the first, the
        // worker) until the endpoint's deadline cuts it off; the corpus goes on meanwhile.
        final List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            final Socket s = new Socket("127.0.0.1", e.port);
            s.getOutputStream()
                    .write("POST /api/settings HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"k"
                            .getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
        }
        int answered = 0;
        int closed = 0;
        for (String request : corpus) {
            final String response = send(e.port, request);
            if (response.startsWith("HTTP/1.1 ")) {
                answered++;
                statuses.merge(response.substring(9, 12), 1, Integer::sum);
                final String body = response.substring(response.indexOf("\r\n\r\n") + 4);
                if (!response.startsWith("HTTP/1.1 200") && body.startsWith("{")) {
                    assertThat(body).as(request).startsWith("{\"error\":\"").endsWith("\"}\n");
                    assertThat(body.strip()).as(request).doesNotContain("\n");
                }
            } else {
                closed++;
            }
        }
        for (Socket s : slow) {
            s.close();
        }
        System.out.println("http fuzz: " + corpus.size() + " requests, " + answered + " answered, " + closed
                + " closed without an answer, 3 slow clients; statuses " + statuses);
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(statuses.keySet()).allMatch(s -> s.startsWith("2") || s.startsWith("4") || s.equals("503"));
        // Every request the JDK server passed to the agent was answered; what it refused itself is at most closed.
        assertThat(answered).isGreaterThan(corpus.size() * 9 / 10);

        // The endpoint still answers good requests, reads and writes alike.
        assertThat(e.get("/api/dump").statusCode()).isEqualTo(200);
        assertThat(e.post("/api/optimizer/mode", TOKEN, "{\"mode\":\"advise\"}").statusCode())
                .isEqualTo(200);
        assertThat(e.alive()).isTrue();

        final Launch.Result r = e.run.get(200, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        final GroundTruth truth = GroundTruth.of(r);
        assertThat(truth.invariantsOk()).as(r.describe()).isTrue();
        final Dump d = Dump.read(dump);
        final Dump.Probe ingress =
                d.probe("ingress queue", n -> n.startsWith("io.hotpath.reference.StatusBroadcaster."));
        assertThat(ingress.counter("in")).as("queued").isEqualTo(truth.get("ingressQueued"));
        assertThat(ingress.counter("out")).as("dequeued").isEqualTo(truth.get("ingressDequeued"));
        assertThat(ingress.counter("dropped")).as("overflow").isEqualTo(truth.get("ingressOverflow"));
    }

    /** One request over its own connection; the whole response, or "" when the connection closed without one. */
    static String send(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            final OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                s.shutdownOutput();
            } catch (IOException refusedMidBody) {
                // a 413 may close the connection before a huge body is sent; read what came back
            }
            final InputStream in = s.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException reset) {
                return "";
            }
        }
    }

    static List<String> corpus(Random random) {
        final List<String> bodies = List.of(
                "",
                "{",
                "}",
                "{}",
                "[]",
                "null",
                "{\"value\":}",
                "{\"value\":01}",
                "{\"value\":1e999}",
                "{\"value\":\"64\"}",
                "{\"value\":64,\"value\":65}",
                "{\"value\":[1]}",
                "{\"value\":{\"a\":1}}",
                "{\"enabled\":tru}",
                "{\"mode\":\"\\u00zz\"}",
                "{\"key\":\"hotpath.probes.max\",\"value\":\"1\"}",
                "{\"key\":\"hotpath.nope\",\"value\":\"1\"}",
                "{\"key\":\"hotpath.log.level\",\"value\":\"info\"}",
                "{\"mode\":\"apply\"} trailing",
                "{\"value\":9223372036854775808}",
                "\u0000\u0001\u0002",
                "{\"a\":\"\u0001\"}");
        final List<String> paths = List.of(
                "/api/dump",
                "/api/",
                "/api",
                "/api/nope",
                "/api/../../etc/passwd",
                "/api/%2e%2e/dump",
                "/../../etc/passwd",
                "/%2e%2e/%2e%2e/etc/passwd",
                "/index.html/../../x",
                "/api/alerts/999999/ack",
                "/api/alerts/-1/ack",
                "/api/alerts/abc/ack",
                "/api/tunables/nope",
                "/api/tunables/batch",
                "/api/tunables/batch/reset",
                "/api/probes/%ZZ",
                "/api/probes/no.such%23probe",
                "/api/modules/queues",
                "/api/modules/nope",
                "/api/optimizer/mode",
                "/api/settings",
                "/api/a/b/c/d/e/f",
                "/" + "a".repeat(5000));
        final List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE");
        final List<String> out = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            final String method = methods.get(random.nextInt(methods.size()));
            final String path = paths.get(random.nextInt(paths.size()));
            final String body = bodies.get(random.nextInt(bodies.size()));
            final String auth =
                    switch (random.nextInt(4)) {
                        case 0 -> "";
                        case 1 -> "Authorization: Bearer wrong\r\n";
                        case 2 -> "Authorization: Basic Zm9vOmJhcg==\r\n";
                        default -> "Authorization: Bearer " + TOKEN + "\r\n";
                    };
            final String type = random.nextInt(5) == 0 ? "text/plain" : "application/json";
            out.add(method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth + "Content-Type: "
                    + type + "\r\nContent-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n\r\n"
                    + body);
        }
        // Huge bodies, declared and undeclared (chunked), garbage request lines, bad lengths.
        final String huge = "{\"value\":\"" + "x".repeat(1 << 20) + "\"}";
        for (int i = 0; i < 5; i++) {
            out.add("POST /api/tunables/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: " + huge.length() + "\r\n\r\n"
                    + huge);
            out.add("POST /api/tunables/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(huge.length()) + "\r\n" + huge + "\r\n0\r\n\r\n");
        }
        out.add("GARBAGE\r\n\r\n");
        out.add("GET\r\n\r\n");
        out.add("GET / HTTP/9.9\r\n\r\n");
        out.add("POST /api/settings HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n");
        out.add("POST /api/settings HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
        out.add("\r\n\r\n\r\n");
        return out;
    }
}
