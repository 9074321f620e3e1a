import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Predicted against measured throughput of the reference broadcaster's dispatcher pool for a pool-size change: for
 * each size c, a run with the pool saturated (batch size 1, a fixed cost per fan-out task) gives the analyzer's
 * what-if estimate for c + 1 (the finding's {@code what_if}, an M/M/c model) and the measured completion rate at c;
 * the run at c + 1 measures what the estimate predicted. The size is set with the application's
 * {@code --dispatcher-threads}, the same pool size the optimizer's {@code pool.core}/{@code pool.max} tunables move.
 * Prints a Markdown table. Run by it-tests/scripts/what-if-table.sh.
 *
 * <p>Measured throughput: the pool's completed tasks ({@code out}) between the dump taken closest to 3 s after start
 * and the last one taken before the load ends, over the time between the two readings (the dump is rewritten every
 * second; each new version is read as it appears).
 */
public final class WhatIfTable {
    static final String POOL = "io.hotpath.reference.Dispatcher.pool";
    static final Pattern OUT = Pattern.compile(
            "\"name\":\"" + Pattern.quote(POOL) + "\",\"kind\":\"executor\",[^{]*\"counters\":\\{[^}]*\"out\":(\\d+)");
    static final Pattern WHAT_IF = Pattern.compile("\"probe\":\"" + Pattern.quote(POOL)
            + "\"[^\\]]*?\"what_if\":\\{\"pool_size_from\":([-\\d.eE]+),\"pool_size_to\":([-\\d.eE]+),"
            + "\"throughput_per_s_now\":([-\\d.eE]+),\"throughput_per_s\":([-\\d.eE]+)");

    record Reading(double seconds, long out, String whatIfTo, double predicted, double modelNow) {}

    record Result(int threads, double measured, double predictedNext, double modelNow) {}

    public static void main(String[] args) throws Exception {
        final Path jdk = Path.of(args[0]);
        final Path agent = Path.of(args[1]);
        final Path app = Path.of(args[2]);
        final Path work = Path.of(args[3]);
        List<String> threads = List.of("1", "2", "3", "4");
        String rate = "1000";
        String costUs = "2000";
        int seconds = 12;
        for (int i = 4; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = List.of(args[++i].split(","));
                case "--rate" -> rate = args[++i];
                case "--batch-cost-us" -> costUs = args[++i];
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        final List<Result> results = new ArrayList<>();
        for (String t : threads) {
            results.add(run(jdk, agent, app, work, Integer.parseInt(t), rate, costUs, seconds));
        }
        final StringBuilder md = new StringBuilder();
        md.append("rate ").append(rate).append(" msg/s, batch size 1, ").append(costUs)
                .append(" us per fan-out task, ").append(seconds).append(" s per run; tasks/s of ").append(POOL)
                .append("\n\n| pool size c | measured at c | model at c | predicted for c+1 | measured at c+1 |"
                        + " error |\n| --- | --- | --- | --- | --- | --- |\n");
        for (int i = 0; i < results.size(); i++) {
            final Result r = results.get(i);
            final Result next = i + 1 < results.size() && results.get(i + 1).threads == r.threads + 1
                    ? results.get(i + 1)
                    : null;
            md.append(String.format(Locale.ROOT, "| %d | %.0f | %s | %s | %s | %s |%n",
                    r.threads, r.measured, fmt(r.modelNow), fmt(r.predictedNext),
                    next == null ? "-" : fmt(next.measured),
                    next == null || Double.isNaN(r.predictedNext)
                            ? "-"
                            : String.format(Locale.ROOT, "%+.0f %%", 100 * (r.predictedNext - next.measured)
                                    / next.measured)));
        }
        System.out.print(md);
        Files.writeString(work.resolve("what-if-table.md"), md.toString());
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "no finding" : String.format(Locale.ROOT, "%.0f", v);
    }

    static Result run(Path jdk, Path agent, Path app, Path work, int threads, String rate, String costUs, int seconds)
            throws IOException, InterruptedException {
        final Path dump = work.resolve("what-if-" + threads + ".json");
        Files.deleteIfExists(dump);
        final List<String> cmd = List.of(
                jdk.resolve("bin/java").toString(),
                "-javaagent:" + agent,
                "-Dhotpath.dump.file=" + dump,
                "-Dhotpath.dump.interval=1s",
                "-Dhotpath.export.exporter=none",
                "-jar",
                app.toString(),
                "--scenario",
                "sustained",
                "--rate",
                rate,
                "--duration",
                seconds + "s",
                "--batch-size",
                "1",
                "--batch-cost-us",
                costUs,
                "--dispatcher-threads",
                String.valueOf(threads),
                "--quiet");
        final Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("what-if-" + threads + ".log").toFile())
                .start();
        final long start = System.nanoTime();
        final List<Reading> readings = new ArrayList<>();
        FileTime seen = null;
        while (p.isAlive()) {
            TimeUnit.MILLISECONDS.sleep(50);
            final double t = (System.nanoTime() - start) / 1e9;
            if (!Files.exists(dump) || t > seconds - 0.5) {
                continue; // after the load's end the pool drains and shuts down: not a steady reading
            }
            final FileTime m = Files.getLastModifiedTime(dump);
            if (m.equals(seen)) {
                continue;
            }
            seen = m;
            final String text;
            try {
                text = Files.readString(dump);
            } catch (IOException e) {
                continue;
            }
            final Matcher o = OUT.matcher(text);
            if (!o.find()) {
                continue;
            }
            final Matcher w = WHAT_IF.matcher(text);
            final boolean has = w.find();
            readings.add(new Reading(
                    t,
                    Long.parseLong(o.group(1)),
                    has ? w.group(2) : null,
                    has ? Double.parseDouble(w.group(4)) : Double.NaN,
                    has ? Double.parseDouble(w.group(3)) : Double.NaN));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Reading first = null;
        for (Reading r : readings) {
            if (r.seconds >= 3 && first == null) {
                first = r;
            }
        }
        final Reading last = readings.isEmpty() ? null : readings.get(readings.size() - 1);
        final double measured = first == null || last == first
                ? Double.NaN
                : (last.out - first.out) / (last.seconds - first.seconds);
        // The estimate of the latest reading that has one (the finding keeps the evidence of its last tick).
        double predicted = Double.NaN;
        double modelNow = Double.NaN;
        for (Reading r : readings) {
            if (r.whatIfTo != null) {
                predicted = r.predicted;
                modelNow = r.modelNow;
            }
        }
        System.err.printf(Locale.ROOT, "c=%d: %d readings, measured %.0f tasks/s, model %.0f, predicted c+1 %.0f%n",
                threads, readings.size(), measured, modelNow, predicted);
        return new Result(threads, measured, predicted, modelNow);
    }
}
