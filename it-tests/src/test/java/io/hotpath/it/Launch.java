package io.hotpath.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Launches a real JVM, optionally with the built agent jar, and collects its output. */
public final class Launch {
    private static final AtomicInteger RUNS = new AtomicInteger();

    public static final Path AGENT_JAR =
            Path.of(System.getProperty("hotpath.it.agentJar", "../agent/target/hotpath-agent.jar"));
    public static final Path APP_JAR =
            Path.of(System.getProperty("hotpath.it.appJar", "target/hotpath-reference-app.jar"));
    public static final Path APP_LIBS = Path.of(System.getProperty("hotpath.it.appLibs", "target/app-libs"));
    public static final Path TEST_CLASSES =
            Path.of(System.getProperty("hotpath.it.testClasses", "target/test-classes"));
    public static final Path WORK = Path.of(System.getProperty("hotpath.it.workDir", "target/it-work"));

    private final Path javaHome;
    private boolean agent = true;
    private String agentArgs;
    private final Map<String, String> props = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> command = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(60);

    private Launch(Path javaHome) {
        this.javaHome = javaHome;
    }

    public static Launch on(Path javaHome) {
        return new Launch(javaHome);
    }

    public Launch withoutAgent() {
        this.agent = false;
        return this;
    }

    public Launch agentArgs(String args) {
        this.agentArgs = args;
        return this;
    }

    public Launch prop(String key, String value) {
        props.put(key, value);
        return this;
    }

    /** The JSON dump written to {@code dump} at exit, and no OTLP export: what most it-tests read. */
    public Launch dumpWithoutExport(Path dump) {
        return prop("hotpath.dump.file", dump.toString()).prop("hotpath.export.exporter", "none");
    }

    public Launch env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public Launch jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    /** Runs the reference application jar with these arguments. */
    public Launch referenceApp(String... args) {
        command.add("-jar");
        command.add(APP_JAR.toAbsolutePath().toString());
        command.addAll(List.of(args));
        return this;
    }

    /** Runs a main class from the it-tests' test classes, with extra class path entries. */
    public Launch testMain(Class<?> main, List<Path> extraClassPath, String... args) {
        final StringBuilder cp = new StringBuilder(TEST_CLASSES.toAbsolutePath().toString());
        for (Path p : extraClassPath) {
            cp.append(java.io.File.pathSeparatorChar).append(p.toAbsolutePath());
        }
        command.add("-cp");
        command.add(cp.toString());
        command.add(main.getName());
        command.addAll(List.of(args));
        return this;
    }

    /** Runs a main class by name from the given class path only (for classes compiled by the test itself). */
    public Launch mainClass(String main, List<Path> classPath, String... args) {
        final StringBuilder cp = new StringBuilder();
        for (Path p : classPath) {
            if (cp.length() > 0) {
                cp.append(java.io.File.pathSeparatorChar);
            }
            cp.append(p.toAbsolutePath());
        }
        command.add("-cp");
        command.add(cp.toString());
        command.add(main);
        command.addAll(List.of(args));
        return this;
    }

    public Launch timeout(Duration t) {
        this.timeout = t;
        return this;
    }

    /** A fresh file path in the work directory. */
    public static Path workFile(String name) throws IOException {
        Files.createDirectories(WORK);
        // Numbering restarts with every test JVM, so a file of an earlier build may sit at this name: remove it,
        // so no test reads (or a tool such as keytool refuses) a stale one.
        final Path p = WORK.resolve(ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet() + "-" + name)
                .toAbsolutePath();
        Files.deleteIfExists(p);
        return p;
    }

    /** Starts the JVM, waits for it (killing it past the timeout) and returns what it did. */
    public Result run() throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/java").toString());
        if (agent) {
            cmd.add("-javaagent:" + AGENT_JAR.toAbsolutePath() + (agentArgs == null ? "" : "=" + agentArgs));
        }
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmArgs);
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(command);
        final Path out = workFile("stdout.txt");
        final Path err = workFile("stderr.txt");
        final ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HOTPATH_") || k.startsWith("OTEL_"));
        pb.environment().putAll(env);
        final long start = System.nanoTime();
        final Process p = pb.start();
        final boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        final Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Result(
                cmd,
                done ? p.exitValue() : -1,
                !done,
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8),
                took);
    }

    /** What a launched JVM did. */
    public record Result(
            List<String> command, int exitCode, boolean timedOut, String stdout, String stderr, Duration took) {
        /** Everything, for assertion messages. */
        public String describe() {
            return "command: " + String.join(" ", command) + "\nexit: " + exitCode + (timedOut ? " (timed out)" : "")
                    + "\n--- stdout ---\n" + tail(stdout) + "\n--- stderr ---\n" + tail(stderr);
        }

        private static String tail(String s) {
            return s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s;
        }

        /** Lines of stderr that the agent printed. */
        public List<String> agentLines() {
            return stderr.lines().filter(l -> l.startsWith("[hotpath]")).toList();
        }
    }
}
