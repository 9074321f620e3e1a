package io.hotpath.it;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code TRUTH <name> key=value ...} lines test applications print about their own work. */
public final class Truth {
    private final Map<String, Map<String, String>> lines = new LinkedHashMap<>();

    private Truth() {}

    public static Truth of(String stdout) {
        final Truth t = new Truth();
        stdout.lines().filter(l -> l.startsWith("TRUTH ")).forEach(l -> {
            final String[] parts = l.substring(6).trim().split(" ");
            final Map<String, String> kv = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                final int eq = parts[i].indexOf('=');
                kv.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
            t.lines.put(parts[0], kv);
        });
        return t;
    }

    public long get(String line, String key) {
        final Map<String, String> kv = lines.get(line);
        if (kv == null || !kv.containsKey(key)) {
            throw new AssertionError("no TRUTH " + line + " " + key + " in " + lines);
        }
        return Long.parseLong(kv.get(key));
    }

    public String text(String line, String key) {
        final Map<String, String> kv = lines.get(line);
        if (kv == null || !kv.containsKey(key)) {
            throw new AssertionError("no TRUTH " + line + " " + key + " in " + lines);
        }
        return kv.get(key);
    }

    public Map<String, Map<String, String>> all() {
        return lines;
    }

    /**
     * The whole number after {@code name=} in one line the test apps print ({@code CHURN sample=100 cleared=100}); a
     * line without that field fails the test with a {@link NumberFormatException} naming the line.
     */
    public static long field(String line, String name) {
        return Long.parseLong(line.replaceAll(".*\\b" + name + "=(-?\\d+).*", "$1"));
    }

    /** The first {@code TRUTH} line a test application printed; fails the test, with the whole launch, without one. */
    public static String firstLine(Launch.Result r) {
        return r.stdout()
                .lines()
                .filter(l -> l.startsWith("TRUTH "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no TRUTH line\n" + r.describe()));
    }
}
