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
 * loopback port and the slow-subscriber fault injected; headless Chromium, driven over the DevTools protocol, opens the
 * page the agent serves at {@code /} once and waits (bounded) until the page, polling on its own, shows the finding on
 * the slow subscriber's queue; then checks health, the charts of the busy probes and the tunables, acknowledges an
 * alert through the page (a wrong token refused, the right one pasted once) and saves
 * {@code target/screenshots/dashboard.png}. Every process is killed at the end.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DashboardIT {
    static final String QUEUE = "io.hotpath.reference.QueueSubscriberChannel.queue";
    static final Pattern ENDPOINT = Pattern.compile("HTTP endpoint on (http://127\\.0\\.0\\.1:\\d+/)");
    /** From the fault's onset until the page must show its finding. */
    static final Duration FINDING_WAIT = Duration.ofSeconds(20);
    /** The write token the agent is given; the test pastes it into the page. */
    static final String TOKEN = "dashboard-it-token-7f3a9c";

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
                "-Dhotpath.http.token=" + TOKEN,
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
        try (DevTools page = DevTools.start(chromium.binary(), 1600, 2200)) {
            final String url = endpoint(app, err, Duration.ofSeconds(30));
            final long onset = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            page.navigate(url);
            // The page is loaded once and updates itself: the finding must appear without a reload.
            // The finding and the health it lowers: a finding seen at its first, info-level tick leaves the score
            // healthy for a tick or two, so both are waited for (the page updates itself; no reload).
            final String finding = "document.querySelector('li.finding[data-probe=\"" + QUEUE + "\"]') !== null"
                    + " && ['degraded', 'unhealthy'].includes("
                    + "document.getElementById('health-state').getAttribute('data-state'))";
            final Duration wait = Duration.ofNanos(Math.max(0, onset + FINDING_WAIT.toNanos() - System.nanoTime()));
            final boolean shown = page.waitFor(finding, wait);
            final String dom = page.dom();
            assertThat(shown)
                    .as(
                            "a finding on %s in the page within %s of the onset; agent log:%n%s%nDOM:%n%s",
                            QUEUE, FINDING_WAIT, agentLines(err), dom)
                    .isTrue();
            assertThat(dom).as("live").contains("data-state=\"live\"");
            assertThat(dom)
                    .as("overall health")
                    .containsPattern("id=\"health-state\" data-state=\"(degraded|unhealthy)\"");
            assertThat(dom).as("per-probe health").contains("<tr data-probe=\"" + QUEUE + "\" data-state=\"");
            final List<String> charts = attributes(dom, "figure class=\"chart\" data-probe=\"([^\"]*)\"");
            assertThat(charts).as("a chart per busy probe").contains(QUEUE).hasSizeBetween(2, 8);
            assertThat(dom).as("uPlot drew them").contains("class=\"uplot");
            assertThat(dom).as("tunables table").contains("<tr data-tunable=\"batch\">", "<tr data-tunable=\"flush\">");

            acknowledgeAnAlert(page);

            // A few more seconds of readings on the charts, then the picture.
            Thread.sleep(5000);
            final Path png = Chromium.SCREENSHOTS.resolve("dashboard.png");
            page.screenshot(png);
            assertThat(Files.size(png)).isGreaterThan(10_000);
            assertThat(app.isAlive()).as("the application still runs").isTrue();
            System.out.printf("dashboard: finding on %s shown live; screenshot %s%n", QUEUE, png);
        } finally {
            Chromium.kill(app);
        }
    }

    /**
     * A wrong token is refused with the agent's message; the right one, pasted once, acknowledges the first alert that
     * has an Acknowledge button, and the next reading shows who acknowledged it.
     */
    private static void acknowledgeAnAlert(DevTools page) throws Exception {
        final String button = "document.querySelector('button.ack-button')";
        assertThat(page.waitFor(button + " !== null", Duration.ofSeconds(20)))
                .as("an alert to acknowledge")
                .isTrue();
        final Object id = page.eval(button + ".getAttribute('data-id')");
        final String row = "document.querySelector('button.ack-button[data-id=\"" + id + "\"]')";
        assertThat(page.eval(row + ".disabled")).as("disabled without a token").isEqualTo(true);

        paste(page, "not-the-token");
        assertThat(page.waitFor("!" + row + ".disabled", Duration.ofSeconds(5))).isTrue();
        page.eval(row + ".click()");
        assertThat(page.waitFor(
                        "document.getElementById('alert-error').textContent.indexOf('HTTP 401') >= 0",
                        Duration.ofSeconds(10)))
                .as("a wrong token is refused: %s", page.eval("document.getElementById('alert-error').textContent"))
                .isTrue();
        assertThat((String) page.eval("location.href")).doesNotContain("not-the-token");

        paste(page, TOKEN);
        assertThat(page.waitFor("!" + row + ".disabled", Duration.ofSeconds(5))).isTrue();
        page.eval(row + ".click()");
        final String acked = "Array.from(document.querySelectorAll('#alert-table tr')).some(function (tr) {"
                + " return tr.textContent.indexOf('yes by http') >= 0; })";
        assertThat(page.waitFor(acked, Duration.ofSeconds(10)))
                .as(
                        "alert %s acknowledged by http; error line: %s",
                        id, page.eval("document.getElementById('alert-error').textContent"))
                .isTrue();
        assertThat(page.eval("sessionStorage.getItem('hotpath.token')")).isEqualTo(TOKEN);
        assertThat((String) page.eval("location.href")).doesNotContain(TOKEN);
    }

    /** Types the token into the form and submits it, as a person would. */
    private static void paste(DevTools page, String token) throws Exception {
        page.eval("document.getElementById('token-input').value = '" + token + "';"
                + " document.getElementById('token-save').click(); true");
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
