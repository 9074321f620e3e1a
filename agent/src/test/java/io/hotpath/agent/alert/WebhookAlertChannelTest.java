package io.hotpath.agent.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import io.hotpath.exporter.Severity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebhookAlertChannelTest {
    static Alert alert(String key) {
        return new Alert(
                key,
                "finding",
                Severity.CRITICAL,
                "saturation",
                "q",
                "q is \"saturated\"",
                "raise it",
                0.2,
                Map.of("depth", 12.0),
                1_700_000_000_000L);
    }

    @Test
    void postsJsonAndRetriesAFailure() throws Exception {
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        final CopyOnWriteArrayList<String> bodies = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();
        // The first request is held until send has returned: a send that waited for the server would never return.
        final CountDownLatch sent = new CountDownLatch(1);
        server.createContext("/hook", exchange -> {
            try {
                sent.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            final int status = calls.incrementAndGet() == 1 ? 503 : 204; // the first attempt fails
            if (status == 204) {
                bodies.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        try {
            final WebhookAlertChannel channel = new WebhookAlertChannel(
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/hook", Duration.ofSeconds(5), 3, 10);
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> channel.send(alert("k")), "send waited");
            sent.countDown();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (channel.delivered() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(channel.delivered()).isEqualTo(1);
            assertThat(channel.failed()).isZero();
            // Its connections are the agent's, not the application's: the threads it started (sender and HTTP
            // workers) are in the agent's thread group, which the socket probes leave out.
            assertThat(Thread.getAllStackTraces().keySet())
                    .filteredOn(t -> t.getName().startsWith("hotpath-webhook"))
                    .isNotEmpty()
                    .allMatch(t -> t.getThreadGroup() != null
                            && t.getThreadGroup().getName().equals("hotpath"));
            assertThat(bodies.get(0))
                    .contains("\"key\":\"k\"", "\"severity\":\"critical\"", "\\\"saturated\\\"", "\"depth\":12");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void fullQueueDropsAndCountsWithoutBlocking() {
        // Nothing listens on port 9 of a TEST-NET address; each POST waits for its timeout.
        final WebhookAlertChannel channel =
                new WebhookAlertChannel("http://192.0.2.1:9/hook", Duration.ofSeconds(10), 0, 2);
        final long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            channel.send(alert("k" + i));
        }
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(channel.failed()).isGreaterThanOrEqualTo(7);
    }

    @Test
    void rejectsWhatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> new WebhookAlertChannel("ftp://x/y", Duration.ofSeconds(1), 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
