package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live dashboard end to end: the reference broadcaster runs with the built agent jar, its HTTP endpoint on a free
 * loopback port and the slow-subscriber fault injected; headless Chromium loads the page the agent serves at {@code /}
 * until the finding on the slow subscriber's queue is in the DOM (bounded wait), then checks health, the charts of the
 * busy probes and the tunables, and saves {@code target/screenshots/dashboard.png}. Every process is killed at the end.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DashboardIT {
    static final String QUEUE = "io.hotpath.reference.QueueSubscriberChannel.queue";
    static final Pattern ENDPOINT = Pattern.compile("HTTP endpoint on (http://127\\.0\\.0\\.1:\\d+/)");
    /** From the fault's onset until the page must show its finding. */
    static final Duration FINDING_WAIT = Duration.ofSeconds(20);

    @Test
    void pageShowsTheInjectedFaultLive() throws Exception {
        final Chromium chromium = Chromium.find().orElse(null);
        Assumptions.assumeTrue(chromium != null, Chromium::missing);

        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Path out = Launch.workFile("dashboard-app-stdout.txt");
        final Path err = Launch.workFile("dashboard-app-stderr.txt");
        final List<String> cmd = new ArrayList<>(List.of(
                java.toString(),
                "-javaagent:" + Launch.AGENT_JAR.toAbsolutePath(),
                "-Xshare:auto",
                "-Dhotpath.http.port=0",
                "-Dhotpath.export.exporter=none",
                "-Dhotpath.optimizer.mode=apply",
                "-Dhotpath.tunables=batch=io.hotpath.reference.Batcher#batchSize:batch-size[1..1024];"
                        + "flush=io.hotpath.reference.Batcher#flushIntervalMs:flush-interval[0..500]",
                "-jar",
                Launch.APP_JAR.toAbsolutePath().toString(),
                "--quiet",
                "--scenario",
                "basic",
                "--duration",
                "120s",
                "--rate",
                "2000",
                "--fault",
                "slow-subscriber",
                "--fault-at",
                "3s"));
        final ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HOTPATH_") || k.startsWith("OTEL_"));
        final Process app = pb.start();
        try {
            final String url = endpoint(app, err, Duration.ofSeconds(30));
            final long onset = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            final long deadline = onset + FINDING_WAIT.toNanos();
            String dom = "";
            int loads = 0;
            while (System.nanoTime() < deadline && !dom.contains("data-probe=\"" + QUEUE + "\" data-severity=")) {
                dom = chromium.dumpDom(url, Duration.ofSeconds(3), Duration.ofSeconds(30));
                loads++;
            }
            final String context = "after " + loads + " page loads; agent log:\n" + agentLines(err);
            assertThat(dom)
                    .as("a finding on %s in the page %s", QUEUE, context)
                    .contains("data-probe=\"" + QUEUE + "\" data-severity=");
            assertThat(dom).as("live").contains("data-state=\"live\"");
            assertThat(dom)
                    .as("overall health")
                    .containsPattern("id=\"health-state\" data-state=\"(degraded|unhealthy)\"");
            assertThat(dom).as("per-probe health").contains("<tr data-probe=\"" + QUEUE + "\" data-state=\"");
            final List<String> charts = attributes(dom, "figure class=\"chart\" data-probe=\"([^\"]*)\"");
            assertThat(charts).as("a chart per busy probe").contains(QUEUE).hasSizeBetween(2, 8);
            assertThat(dom).as("uPlot drew them").contains("class=\"uplot");
            assertThat(dom).as("tunables table").contains("<tr data-tunable=\"batch\">", "<tr data-tunable=\"flush\">");
            assertThat(app.isAlive()).as("the application still runs").isTrue();

            final Path png = Chromium.SCREENSHOTS.resolve("dashboard.png");
            // Ten seconds of the page's time: several readings on every chart.
            chromium.screenshot(url, png, 1600, 2200, Duration.ofSeconds(10), Duration.ofSeconds(60));
            assertThat(Files.size(png)).isGreaterThan(10_000);
            System.out.printf("dashboard: finding on %s shown after %d page loads; screenshot %s%n", QUEUE, loads, png);
        } finally {
            Chromium.kill(app);
        }
    }

    /** The endpoint's address from the agent's start line. */
    private static String endpoint(Process app, Path err, Duration within) throws IOException, InterruptedException {
        final long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            final Matcher m = ENDPOINT.matcher(Files.readString(err, StandardCharsets.UTF_8));
            if (m.find()) {
                return m.group(1);
            }
            if (!app.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line 'HTTP endpoint on http://127.0.0.1:PORT/' within " + within + " (alive: "
                + app.isAlive() + "); stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String agentLines(Path err) throws IOException {
        final List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static List<String> attributes(String dom, String regex) {
        final Matcher m = Pattern.compile(regex).matcher(dom);
        final List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
