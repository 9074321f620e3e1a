package io.hotpath.benchmarks.program;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line flags of the harnesses, with one-line errors naming the bad value. */
final class Flags {
    private Flags() {}

    /** Parses {@code args} over {@code defaults}; every flag in {@code required} must be given. */
    static Map<String, String> parse(String[] args, Map<String, String> defaults, List<String> required) {
        final Map<String, String> values = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            final String flag = args[i];
            if (!defaults.containsKey(flag) && !required.contains(flag)) {
                throw new IllegalArgumentException(
                        "unknown option " + flag + "; allowed: " + allowed(defaults, required));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            values.put(flag, args[i + 1]);
        }
        for (String flag : required) {
            if (!values.containsKey(flag)) {
                throw new IllegalArgumentException(flag + " is required");
            }
        }
        return values;
    }

    private static String allowed(Map<String, String> defaults, List<String> required) {
        final List<String> all = new java.util.ArrayList<>(required);
        all.addAll(new java.util.TreeSet<>(defaults.keySet()));
        return String.join(", ", all);
    }

    /** A whole number ≥ 1. */
    static int positive(Map<String, String> values, String flag) {
        final String v = values.get(flag);
        try {
            final int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " must be a whole number >= 1, got '" + v + "'");
    }

    /** An existing regular file. */
    static Path file(Map<String, String> values, String flag) {
        final Path p = Path.of(values.get(flag));
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(flag + " must name an existing file, got '" + p + "'");
        }
        return p;
    }

    /** The jar (or class directory) this class was loaded from: the children's class path. */
    static String ownJar() {
        try {
            return Path.of(Flags.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmarks jar: " + e, e);
        }
    }
}
