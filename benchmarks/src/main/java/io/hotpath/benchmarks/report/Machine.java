package io.hotpath.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the figures were measured on, read at run time (never written into the sources): processors, CPU model and
 * memory from /proc, the OS and the JDK running the harness (the forks use the same JVM binary).
 */
public record Machine(int processors, String cpuModel, String memory, String os, String jdk) {
    /** Describes this machine; fields that cannot be read say "unknown". */
    public static Machine current() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                procField("/proc/cpuinfo", "model name").orElse("unknown"),
                procField("/proc/meminfo", "MemTotal").map(Machine::kibToGib).orElse("unknown"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                        + System.getProperty("java.vendor") + ")");
    }

    private static java.util.Optional<String> procField(String file, String key) {
        try {
            final List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                final int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return java.util.Optional.of(line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc unreadable: the report says unknown.
        }
        return java.util.Optional.empty();
    }

    private static String kibToGib(String memTotal) {
        final String digits = memTotal.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            return memTotal;
        }
        return String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(digits) / 1024.0 / 1024.0);
    }
}
