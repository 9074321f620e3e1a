package io.hotpath.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The resolved configuration. Precedence, highest first: agent arguments ({@code -javaagent:hotpath-agent.jar=k=v|k=v}),
 * system properties ({@code -Dhotpath.*}), environment ({@code HOTPATH_*}), the file named by
 * {@code hotpath.config.file}, defaults. A bad value never stops the application: it is reported as one line naming
 * the property, where it came from, the value and what is allowed, and the default is used.
 */
public final class Config {
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, String> origins = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    /** Largest config file read: far above any real one, small enough that a wrong path costs nothing. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private Config() {}

    /**
     * Whether {@code s} is one of {@link Settings#COMMA_LISTS}, by identity. Not {@code List.contains}: that calls the
     * record's generated {@code equals}, whose first call in the JVM bootstraps {@code ObjectMethods} and its method
     * handles (about 90 ms of premain measured on a loaded 2-core machine) for any JVM given a {@code hotpath.*} setting.
     */
    private static boolean commaList(Setting<?> s) {
        for (Setting<?> c : Settings.COMMA_LISTS) {
            if (c == s) {
                return true;
            }
        }
        return false;
    }

    /** Resolves every setting from the live JVM: agent args, system properties, environment. */
    public static Config load(String agentArgs) {
        return resolve(agentArgs, System.getProperties(), System.getenv());
    }

    /** Resolves every setting from the given sources; visible for tests. */
    public static Config resolve(String agentArgs, Properties system, Map<String, String> env) {
        final Config c = new Config();
        final Map<String, String> args = c.parseAgentArgs(agentArgs);
        final Map<String, String> sys = new HashMap<>();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("hotpath.")) {
                sys.put(name, system.getProperty(name));
            }
        }
        final Map<String, String> environment = new HashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith("HOTPATH_")) {
                environment.put(e.getKey(), e.getValue());
            }
        }
        // The file is named by the three higher sources only.
        final String fileName = firstOf(Settings.CONFIG_FILE, args, sys, environment, Map.of());
        final Map<String, String> file = fileName == null ? Map.of() : c.readFile(fileName);

        for (Setting<?> s : Settings.ALL) {
            c.resolveOne(s, args, sys, environment, file);
        }
        c.reportUnknown(args.keySet(), "agent argument");
        c.reportUnknown(sys.keySet(), "system property");
        c.reportUnknown(file.keySet(), "config file " + fileName);
        final Set<String> envKeys = new TreeSet<>();
        final Set<String> knownEnv = new TreeSet<>();
        for (Setting<?> s : Settings.ALL) {
            knownEnv.add(s.envName());
        }
        for (String k : environment.keySet()) {
            if (!knownEnv.contains(k)) {
                envKeys.add(k);
            }
        }
        for (String k : envKeys) {
            c.problem("unknown environment variable " + shown(k) + " ignored" + suggestion(k, true));
        }
        return c;
    }

    private static String firstOf(
            Setting<?> s, Map<String, String> a, Map<String, String> b, Map<String, String> c, Map<String, String> d) {
        if (a.containsKey(s.key())) {
            return a.get(s.key());
        }
        if (b.containsKey(s.key())) {
            return b.get(s.key());
        }
        if (c.containsKey(s.envName())) {
            return c.get(s.envName());
        }
        return d.get(s.key());
    }

    private <T> void resolveOne(
            Setting<T> s,
            Map<String, String> args,
            Map<String, String> sys,
            Map<String, String> env,
            Map<String, String> file) {
        final String[][] sources = {
            {"agent argument", args.get(s.key())},
            {"system property", sys.get(s.key())},
            {"environment variable " + s.envName(), env.get(s.envName())},
            {"config file", file.get(s.key())},
        };
        for (String[] source : sources) {
            if (source[1] == null) {
                continue;
            }
            try {
                values.put(s.key(), s.parser().apply(source[1]));
                origins.put(s.key(), source[0]);
                if (commaList(s) && source[1].indexOf(',') >= 0) {
                    problem(s.key() + "='" + shown(source[1]) + "' (" + source[0] + "): entries separated by , are"
                            + " deprecated; separate them with ; (" + shown(source[1].replace(',', ';')) + ")");
                }
                return;
            } catch (IllegalArgumentException e) {
                problem("invalid " + s.key() + "='" + shown(source[1]) + "' (" + source[0] + "): " + e.getMessage()
                        + "; using " + (s.defaultText().isEmpty() ? "none" : s.defaultText()));
                break;
            }
        }
        values.put(s.key(), s.defaultValue());
        origins.put(s.key(), "default");
    }

    /**
     * Agent arguments are {@code key=value} pairs separated by {@code |}, as Aeron's agent separates its own: a list
     * value keeps its {@code ;} and a value may hold {@code ,}. The older form, pairs separated by {@code ,}, is still
     * read when there is no {@code |} and every {@code ,}-separated part names a setting, with a deprecation warning.
     */
    private Map<String, String> parseAgentArgs(String agentArgs) {
        final Map<String, String> out = new HashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return out;
        }
        String[] parts = agentArgs.split("\\|");
        if (parts.length == 1 && isCommaSeparatedPairs(agentArgs)) {
            parts = agentArgs.split(",");
            problem("agent arguments separated by , are deprecated; separate them with | ("
                    + shown(agentArgs.replace(',', '|')) + ")");
        }
        for (String part : parts) {
            final String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            final int eq = p.indexOf('=');
            if (eq <= 0) {
                problem("agent argument '" + shown(p) + "' ignored: expected key=value pairs separated by |"
                        + " (e.g. -javaagent:hotpath-agent.jar=summary.interval=5s|dump.file=hotpath.json)");
                continue;
            }
            out.put(withPrefix(p.substring(0, eq).trim()), p.substring(eq + 1).trim());
        }
        return out;
    }

    private static boolean isCommaSeparatedPairs(String agentArgs) {
        final String[] parts = agentArgs.split(",");
        if (parts.length < 2) {
            return false;
        }
        for (String part : parts) {
            final int eq = part.indexOf('=');
            if (eq <= 0 || Settings.byKey(withPrefix(part.substring(0, eq).trim())) == null) {
                return false;
            }
        }
        return true;
    }

    private static String withPrefix(String key) {
        return key.startsWith("hotpath.") ? key : "hotpath." + key;
    }

    private Map<String, String> readFile(String fileName) {
        final Map<String, String> out = new HashMap<>();
        final Properties p = new Properties();
        try {
            // Read at premain on the application's main thread: a named pipe or a device (/dev/zero) would block or
            // fill the heap, so only a regular file of bounded size is read.
            final Path path = Path.of(fileName);
            if (!Files.isRegularFile(path)) {
                problem("cannot read hotpath.config.file='" + shown(fileName) + "': not a regular file; continuing"
                        + " without it");
                return out;
            }
            if (Files.size(path) > MAX_FILE_BYTES) {
                problem("cannot read hotpath.config.file='" + shown(fileName) + "': " + Files.size(path) + " bytes,"
                        + " more than the " + MAX_FILE_BYTES + " allowed; continuing without it");
                return out;
            }
            try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        } catch (IOException | RuntimeException e) {
            problem("cannot read hotpath.config.file='" + shown(fileName) + "': " + e + "; continuing without it");
            return out;
        }
        for (String name : p.stringPropertyNames()) {
            out.put(name, p.getProperty(name));
        }
        return out;
    }

    private void reportUnknown(Set<String> keys, String source) {
        final Set<String> known = new TreeSet<>();
        for (Setting<?> s : Settings.ALL) {
            known.add(s.key());
        }
        for (String k : new TreeSet<>(keys)) {
            if (!known.contains(k)) {
                problem("unknown " + source + " " + shown(k) + " ignored" + suggestion(k, false));
            }
        }
    }

    private static String suggestion(String key, boolean env) {
        String best = null;
        int bestDistance = 4;
        for (Setting<?> s : Settings.ALL) {
            final String candidate = env ? s.envName() : s.key();
            final int d = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best == null ? "" : "; did you mean " + best + "?";
    }

    private static int distance(String a, String b) {
        final int[] prev = new int[b.length() + 1];
        final int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            System.arraycopy(cur, 0, prev, 0, cur.length);
        }
        return prev[b.length()];
    }

    /** Adds one problem line; whatever it quotes, it stays one line. */
    private void problem(String line) {
        problems.add(ProblemText.escape(line));
    }

    /** A value as a problem line shows it: control characters escaped, cut when long ({@link ProblemText}). */
    static String shown(String value) {
        return ProblemText.value(value);
    }

    /** The value of a setting. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting.key());
    }

    /** A copy with {@code setting} set to {@code value} (already parsed), its origin {@code origin}. */
    public <T> Config with(Setting<T> setting, T value, String origin) {
        final Config c = new Config();
        c.values.putAll(values);
        c.origins.putAll(origins);
        c.problems.addAll(problems);
        c.values.put(setting.key(), value);
        c.origins.put(setting.key(), origin);
        return c;
    }

    /** Where a setting's value came from ("default", "system property", ...). */
    public String origin(Setting<?> setting) {
        return origins.get(setting.key());
    }

    /** One line per bad or unknown input, for the log. */
    public List<String> problems() {
        return List.copyOf(problems);
    }
}
