package io.hotpath.benchmarks.program;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One child JVM run with a hard timeout: its exit code and everything it printed. */
final class ChildJvm {
    /** The outcome of a run; {@code output} is stdout followed by stderr. */
    record Result(int exitCode, String stdout, String stderr) {
        /** The lines of stdout that start with {@code prefix}, without it. */
        List<String> linesStartingWith(String prefix) {
            final List<String> lines = new ArrayList<>();
            for (String line : stdout.split("\\R")) {
                if (line.startsWith(prefix)) {
                    lines.add(line.substring(prefix.length()).trim());
                }
            }
            return lines;
        }
    }

    private ChildJvm() {}

    /**
     * Runs {@code java args...}, killing it after {@code timeoutSeconds}; stdout and stderr go to temporary files (no
     * pipe a busy child could block on) that are read and removed afterwards.
     */
    static Result run(String java, List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(args);
        final Path out = Files.createTempFile("hotpath-bench-child-", ".out");
        final Path err = Files.createTempFile("hotpath-bench-child-", ".err");
        try {
            final Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException("child JVM did not exit within " + timeoutSeconds + " s: " + command);
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The {@code java} launcher of the JDK running this process. */
    static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The last {@code n} lines of {@code text}, for an error message. */
    static String tail(String text, int n) {
        final String[] lines = text.split("\\R");
        return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - n), lines.length));
    }
}
