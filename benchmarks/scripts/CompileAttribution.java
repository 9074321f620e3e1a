import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Attributes the JIT work of one or more runs, read from HotSpot's {@code -XX:+LogCompilation} files, to the code it
 * compiled: the relocated Byte Buddy, the relocated export libraries (OpenTelemetry SDK, OkHttp, Kotlin, protobuf,
 * Prometheus), the other relocated libraries, the agent's own classes and its exporter, the tracked JDK classes and the
 * rest of the recording core, the application, the JDK's method handles and lambda forms, the rest of the JDK.
 *
 * <p>For each group and run it prints the compile tasks started in each time bucket (by the task's start stamp, seconds
 * since JVM start), the tasks by tier, the sum of the tasks' wall time split between C1 and C2 (from the task's start
 * and done stamps in the compiler threads' logs: wall time, which a busy machine stretches; the compiler threads' CPU
 * is thread-cpu.sh's), the tasks of a method compiled again at a tier it already had (recompiles after a
 * deoptimization) and the compiled methods made not entrant.
 *
 * <p>Arguments: {@code [--buckets 20,60] [--app PREFIX] LABEL=LOGFILE...}; PREFIX is the application's package in
 * slash form (default io/hotpath/reference/). Run by jit-attribution.sh; usable on any LogCompilation file.
 */
public final class CompileAttribution {
    /** First match wins, so the narrower prefixes come first. */
    private static final String[][] GROUPS = {
        {"shaded byte-buddy", "io/hotpath/shaded/net/bytebuddy/"},
        {"shaded export libs", "io/hotpath/shaded/io/opentelemetry/", "io/hotpath/shaded/okhttp3/",
            "io/hotpath/shaded/okio/", "io/hotpath/shaded/kotlin/", "io/hotpath/shaded/com/google/protobuf/",
            "io/hotpath/shaded/io/prometheus/"},
        {"shaded other", "io/hotpath/shaded/"},
        {"agent", "io/hotpath/agent/"},
        {"agent exporter", "io/hotpath/exporter/"},
        {"tracked jdk classes", "io/hotpath/bootstrap/jdk/"},
        {"recording core", "io/hotpath/bootstrap/"},
        {"jdk invoke/lambda", "java/lang/invoke/", "jdk/internal/reflect/Generated", "jdk/proxy", "com/sun/proxy/"},
        {"jdk", "java/", "javax/", "jdk/", "sun/", "com/sun/"},
    };

    private static final Pattern ATTR = Pattern.compile("(\\w+)='([^']*)'");

    private static final class Task {
        String group;
        String method;
        int level;
        double start;
        double done = Double.NaN;
        boolean osr;
    }

    private static final class Run {
        final Map<Integer, Task> tasks = new LinkedHashMap<>();
        final Map<Integer, String> nmethodGroup = new HashMap<>();
        final List<String> notEntrant = new ArrayList<>();
    }

    public static void main(String[] args) throws IOException {
        double[] buckets = {20, 60};
        String app = "io/hotpath/reference/";
        final Map<String, Run> runs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--buckets") && i + 1 < args.length) {
                final String[] parts = args[++i].split(",");
                buckets = new double[parts.length];
                for (int b = 0; b < parts.length; b++) {
                    buckets[b] = Double.parseDouble(parts[b]);
                }
            } else if (args[i].equals("--app") && i + 1 < args.length) {
                app = args[++i].replace('.', '/');
            } else if (args[i].contains("=")) {
                final int eq = args[i].indexOf('=');
                runs.put(args[i].substring(0, eq), read(Path.of(args[i].substring(eq + 1)), app));
            } else {
                System.err.println("usage: CompileAttribution [--buckets 20,60] [--app PREFIX] LABEL=LOGFILE...");
                System.exit(2);
            }
        }
        if (runs.isEmpty()) {
            System.err.println("usage: CompileAttribution [--buckets 20,60] [--app PREFIX] LABEL=LOGFILE...");
            System.exit(2);
        }
        print(runs, buckets);
    }

    static Run read(Path file, String app) throws IOException {
        final Run run = new Run();
        Task current = null;
        try (BufferedReader in = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("<task ")) {
                    final Map<String, String> a = attributes(line);
                    final Task t = new Task();
                    t.method = a.getOrDefault("method", "?").replace('.', '/');
                    t.group = group(t.method, app);
                    t.level = Integer.parseInt(a.getOrDefault("level", "4"));
                    t.start = Double.parseDouble(a.getOrDefault("stamp", "0"));
                    t.osr = "osr".equals(a.get("compile_kind"));
                    run.tasks.put(Integer.parseInt(a.get("compile_id")), t);
                    current = t;
                } else if (line.startsWith("<task_done") && current != null) {
                    current.done = Double.parseDouble(attributes(line).getOrDefault("stamp", "NaN"));
                    current = null;
                } else if (line.startsWith("<nmethod ")) {
                    final Map<String, String> a = attributes(line);
                    if (a.containsKey("compile_id") && a.containsKey("method")) {
                        run.nmethodGroup.put(
                                Integer.parseInt(a.get("compile_id")), group(a.get("method").replace('.', '/'), app));
                    }
                } else if (line.startsWith("<make_not_entrant ")) {
                    final String id = attributes(line).get("compile_id");
                    if (id != null) {
                        run.notEntrant.add(run.nmethodGroup.getOrDefault(Integer.parseInt(id), "other"));
                    }
                }
            }
        }
        return run;
    }

    private static Map<String, String> attributes(String line) {
        final Map<String, String> a = new HashMap<>();
        final Matcher m = ATTR.matcher(line);
        while (m.find()) {
            a.put(m.group(1), m.group(2));
        }
        return a;
    }

    private static String group(String method, String app) {
        if (method.startsWith(app)) {
            return "application";
        }
        for (String[] g : GROUPS) {
            for (int i = 1; i < g.length; i++) {
                if (method.startsWith(g[i])) {
                    return g[0];
                }
            }
        }
        return "other";
    }

    private static void print(Map<String, Run> runs, double[] buckets) {
        final List<String> groups = new ArrayList<>();
        for (String[] g : GROUPS) {
            groups.add(g[0]);
        }
        groups.add("application");
        groups.add("other");
        final List<String> bucketNames = new ArrayList<>();
        double from = 0;
        for (double b : buckets) {
            bucketNames.add(fmt(from) + "-" + fmt(b) + "s");
            from = b;
        }
        bucketNames.add(">" + fmt(from) + "s");
        final List<String> columns = new ArrayList<>(bucketNames);
        columns.addAll(List.of("tier1", "tier2", "tier3", "tier4", "osr", "C1 ms", "C2 ms", "recomp", "not-ent"));
        for (Map.Entry<String, Run> e : runs.entrySet()) {
            final Run run = e.getValue();
            final Map<String, long[]> counts = new LinkedHashMap<>();
            final Map<String, double[]> millis = new LinkedHashMap<>();
            for (String g : groups) {
                counts.put(g, new long[bucketNames.size() + 5 + 2]);
                millis.put(g, new double[2]);
            }
            counts.put("total", new long[bucketNames.size() + 5 + 2]);
            millis.put("total", new double[2]);
            final Set<String> seen = new HashSet<>();
            for (Task t : run.tasks.values()) {
                for (String key : new String[] {t.group, "total"}) {
                    final long[] c = counts.get(key);
                    c[bucket(t.start, buckets)]++;
                    c[bucketNames.size() + Math.max(0, Math.min(t.level, 4) - 1)]++;
                    if (t.osr) {
                        c[bucketNames.size() + 4]++;
                    }
                    if (!Double.isNaN(t.done)) {
                        millis.get(key)[t.level == 4 ? 1 : 0] += (t.done - t.start) * 1000;
                    }
                }
                if (!seen.add(t.method + (t.osr ? " osr " : " ") + t.level)) {
                    counts.get(t.group)[bucketNames.size() + 5]++;
                    counts.get("total")[bucketNames.size() + 5]++;
                }
            }
            for (String g : run.notEntrant) {
                counts.get(g)[bucketNames.size() + 6]++;
                counts.get("total")[bucketNames.size() + 6]++;
            }
            System.out.println(e.getKey() + ": " + run.tasks.size() + " compile tasks");
            final StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-20s", "group"));
            for (String c : columns) {
                head.append(String.format(Locale.ROOT, " %8s", c));
            }
            System.out.println(head);
            for (String g : counts.keySet()) {
                final long[] c = counts.get(g);
                if (!g.equals("total") && sum(c, bucketNames.size()) == 0) {
                    continue;
                }
                final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-20s", g));
                for (int i = 0; i < bucketNames.size() + 5; i++) {
                    row.append(String.format(Locale.ROOT, " %8d", c[i]));
                }
                row.append(String.format(Locale.ROOT, " %8.0f %8.0f", millis.get(g)[0], millis.get(g)[1]));
                row.append(String.format(
                        Locale.ROOT, " %8d %8d", c[bucketNames.size() + 5], c[bucketNames.size() + 6]));
                System.out.println(row);
            }
        }
    }

    private static long sum(long[] c, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += c[i];
        }
        return s;
    }

    private static int bucket(double stamp, double[] buckets) {
        int i = 0;
        while (i < buckets.length && stamp >= buckets[i]) {
            i++;
        }
        return i;
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
