package io.hotpath.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JDKs the it-tests launch target JVMs on: the one running the tests, and JDK 25 when it is installed. */
public final class Jdks {
    private Jdks() {}

    /** Java homes to test on, the running one first. */
    public static List<Path> homes() {
        final List<Path> homes = new ArrayList<>();
        final Path current = Path.of(System.getProperty("java.home"));
        homes.add(current);
        final String extra = System.getProperty("hotpath.it.jdk25", "");
        if (!extra.isBlank()) {
            final Path p = Path.of(extra);
            if (Files.isExecutable(p.resolve("bin/java")) && !sameFile(p, current)) {
                homes.add(p);
            }
        }
        return homes;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A short label such as "jdk17" for test names. */
    public static String label(Path home) {
        try {
            final List<String> lines = Files.readAllLines(home.resolve("release"));
            for (String l : lines) {
                if (l.startsWith("JAVA_VERSION=")) {
                    final String v = l.substring("JAVA_VERSION=".length()).replace("\"", "");
                    final int dot = v.indexOf('.');
                    return "jdk" + (dot > 0 ? v.substring(0, dot) : v);
                }
            }
        } catch (java.io.IOException ignored) {
            // fall through
        }
        return home.getFileName().toString();
    }
}
