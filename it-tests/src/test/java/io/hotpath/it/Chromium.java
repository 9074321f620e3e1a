package io.hotpath.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Headless Chromium run once per call: load a page, let it run for a budget of virtual time, then print its DOM or
 * save a screenshot. Every run has its own profile directory and a hard timeout, and the browser's whole process tree
 * is killed when the call returns.
 */
final class Chromium {
    /** Where {@code .ci/run} and developers put screenshots: kept by the build, read by people. */
    static final Path SCREENSHOTS = Path.of(System.getProperty("hotpath.it.screenshots", "target/screenshots"));

    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

    private final Path binary;

    private Chromium(Path binary) {
        this.binary = binary;
    }

    /**
     * The browser named by {@code -Dhotpath.it.chromium}, else the first of chromium, chromium-browser, google-chrome on
     * the PATH; empty when there is none.
     */
    static Optional<Chromium> find() {
        final String named = System.getProperty("hotpath.it.chromium", "");
        if (!named.isBlank()) {
            return Optional.of(new Chromium(Path.of(named)));
        }
        final String path = System.getenv().getOrDefault("PATH", "");
        for (String name : NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                final Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new Chromium(candidate));
                }
            }
        }
        return Optional.empty();
    }

    /** The browser's executable. */
    Path binary() {
        return binary;
    }

    /** The message a test skips with when no browser is installed. */
    static String missing() {
        return "no Chromium binary: install the chromium package (CI does), put one of " + NAMES
                + " on the PATH, or name one with -Dhotpath.it.chromium=/path/to/chromium";
    }

    /** The DOM after {@code virtualTime} of the page's own time (timers, polling) has passed. */
    String dumpDom(String url, Duration virtualTime, Duration timeout) throws IOException, InterruptedException {
        final Run r = run(List.of("--dump-dom"), url, virtualTime, timeout, 1280, 1600);
        return r.stdout;
    }

    /** Saves a PNG of the page, {@code width} × {@code height} pixels, after {@code virtualTime}. */
    void screenshot(String url, Path png, int width, int height, Duration virtualTime, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        final Run r = run(List.of("--screenshot=" + png.toAbsolutePath()), url, virtualTime, timeout, width, height);
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IOException("chromium wrote no screenshot at " + png + "; stderr:\n" + r.stderr);
        }
    }

    /** The switches every headless run here uses: no sandbox, GPU, first-run UI, background or network chatter. */
    static final List<String> HEADLESS = List.of(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-crash-reporter",
            "--disable-breakpad",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");

    private record Run(String stdout, String stderr) {}

    private Run run(List<String> action, String url, Duration virtualTime, Duration timeout, int width, int height)
            throws IOException, InterruptedException {
        final Path profile = Files.createTempDirectory("hotpath-chromium-");
        final Path out = Launch.workFile("chromium-stdout.txt");
        final Path err = Launch.workFile("chromium-stderr.txt");
        final List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        cmd.addAll(HEADLESS);
        cmd.addAll(List.of(
                "--metrics-recording-only",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "--virtual-time-budget=" + virtualTime.toMillis()));
        cmd.addAll(action);
        cmd.add(url);
        final Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("chromium did not finish within " + timeout + ": " + String.join(" ", cmd)
                        + "\nstderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Run(
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            kill(p);
            deleteTree(profile);
        }
    }

    /** Kills the browser and every process it started (zygote, renderers, GPU and network services). */
    static void kill(Process p) throws InterruptedException {
        final List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle h : tree) {
            h.onExit().completeOnTimeout(h, 5, TimeUnit.SECONDS).join();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // The profile is in the temporary directory: a file the browser still held is left for the OS to clean.
        }
    }
}
