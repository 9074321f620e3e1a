package io.hotpath.benchmarks.program;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs a whole IPC throughput program ({@link AeronThroughputProgram} or {@link NettyThroughputProgram}) without and
 * with hotpath, alternating (none, hotpath, none, ...) after one discarded run of each, every run a fresh JVM, and
 * prints each run and the median, spread (min to max) and loss of messages per second with the agent; for Aeron also
 * the back-pressured offers of each run.
 *
 * <pre>
 * java -cp benchmarks.jar io.hotpath.benchmarks.program.IpcThroughputRunner --program aeron|netty
 *     --agent hotpath-agent.jar [--runs 5] [--warmup 10] [--window 10] [--interval 500] [--java path/to/java]
 *     [--pin 0-1] [--agent-flag -Dname=value]...
 * </pre>
 *
 * <p>A run's rate is taken over a <em>steady window</em>: the program prints its counts every {@code --interval}
 * milliseconds ({@link Progress}) for {@code --warmup} plus {@code --window} seconds, and the rate is that of the
 * counts from the first line at or after the warm-up to the last. Over a short whole run the JVM's start and its JIT
 * compilation, which compete with the program's threads for the cores of a small machine, weigh more with the agent
 * (more classes to transform and compile) than the probes do; a window after them measures what the probes cost the
 * running program. Each run also prints the slowest and fastest interval of its window, so a window that was not
 * steady yet shows. With the defaults a program takes about 5 minutes (12 runs of 20 s and the JVMs' start).
 *
 * <p>Besides the loss of the medians, it prints the <em>paired</em> loss: each agent run against the no-agent run just
 * before it, which ran under the same load of the machine a few seconds earlier, so a load that comes and goes over
 * minutes moves both runs of a pair and cancels out of their ratio. The median of the paired losses, with their spread,
 * is the figure to compare with a 3 % target; the spread of the medians alone is often wider than 3 % on a shared
 * machine. {@code --pin} runs every child JVM under {@code taskset -c} on the given CPUs (the same for both setups), so
 * on a larger machine the runs do not wander over cores and sockets.
 *
 * hotpath runs with its default configuration except {@code hotpath.export.exporter=none} and the {@code --agent-flag}s:
 * a run with {@code --agent-flag -Dhotpath.analyzer.enabled=false} beside a default one tells what the agent's own
 * thread takes from a program that keeps both cores busy from what its probes add to the application's threads.
 */
public final class IpcThroughputRunner {
    private IpcThroughputRunner() {}

    /** The IPC programs this runs. */
    enum Program {
        aeron(AeronThroughputProgram.class),
        netty(NettyThroughputProgram.class);

        final String className;

        Program(Class<?> main) {
            this.className = main.getName();
        }
    }

    /** The command line; see the class comment. */
    @Command(name = "IpcThroughputRunner", mixinStandardHelpOptions = true)
    static final class Options {
        @Option(names = "--program", required = true, description = "aeron or netty")
        Program program;

        @Mixin
        Cli.Agent agent;

        @Option(names = "--runs", converter = Cli.Positive.class, description = "runs per setup (default 5)")
        int runs = 5;

        @Option(
                names = "--warmup",
                converter = Cli.Positive.class,
                description = "seconds of each run before its window (default 10)")
        int warmup = 10;

        @Option(
                names = "--window",
                converter = Cli.Positive.class,
                description = "seconds of each run its rate is taken over (default 10)")
        int window = 10;

        @Option(
                names = "--interval",
                converter = Cli.Positive.class,
                description = "milliseconds between two counts the program prints (default 500)")
        int interval = 500;

        @Option(
                names = "--pin",
                description = "run every child JVM on these CPUs only (taskset -c list, e.g. 0-1 or 2,3)")
        String pin;

        @Option(
                names = "--agent-flag",
                description = "a -Dname=value flag for the runs with the agent only, repeatable (e.g."
                        + " -Dhotpath.analyzer.enabled=false, to tell the probes' cost from the agent's own threads)")
        List<String> agentFlags = new ArrayList<>();

        @Mixin
        Cli.Java children;
    }

    private static final Pattern CPU_LIST = Pattern.compile("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*");

    public static void main(String[] args) throws Exception {
        Cli.main("IpcThroughputRunner", new Options(), args, IpcThroughputRunner::run);
    }

    private static void run(Options a) throws Exception {
        final String program = a.program.className;
        final int runs = a.runs;
        final Path agent = a.agent.jar;
        if (a.interval > 500 * a.window) {
            throw new IllegalArgumentException(
                    "--interval " + a.interval + " ms leaves fewer than two counts in a window of " + a.window + " s");
        }
        if (a.pin != null && !CPU_LIST.matcher(a.pin).matches()) {
            throw new IllegalArgumentException("--pin " + a.pin
                    + " is not a CPU list: expected numbers and ranges separated by commas, e.g. 0-1 or 2,3");
        }
        for (String flag : a.agentFlags) {
            if (!flag.matches("-D[a-zA-Z0-9_.-]+=.*")) {
                throw new IllegalArgumentException(
                        "--agent-flag " + flag + " is not a system property flag: expected -Dname=value");
            }
        }
        final List<double[]> none = new ArrayList<>();
        final List<double[]> hotpath = new ArrayList<>();
        for (int i = -1; i < runs; i++) {
            for (boolean withAgent : new boolean[] {false, true}) {
                final double[] r = once(a, program, withAgent ? agent : null);
                final String paired = withAgent && i >= 0
                        ? String.format(Locale.ROOT, "  paired loss %5.1f %%", (1 - r[0] / none.get(i)[0]) * 100)
                        : "";
                System.out.printf(
                        Locale.ROOT,
                        "%-8s run %2d %,14.0f msg/s (intervals %,.0f..%,.0f)  back-pressured %,d%s%s%n",
                        withAgent ? "hotpath" : "none",
                        i,
                        r[0],
                        r[2],
                        r[3],
                        (long) r[1],
                        paired,
                        i < 0 ? "  (discarded)" : "");
                if (i >= 0) {
                    (withAgent ? hotpath : none).add(r);
                }
            }
        }
        final double n = median(none, 0);
        final double h = median(hotpath, 0);
        System.out.printf(
                Locale.ROOT,
                "%s: none median %,.0f msg/s (%,.0f..%,.0f), hotpath median %,.0f msg/s (%,.0f..%,.0f), loss %.1f %%;"
                        + " back-pressured median none %,.0f hotpath %,.0f%n",
                a.program,
                n,
                min(none),
                max(none),
                h,
                min(hotpath),
                max(hotpath),
                (1 - h / n) * 100,
                median(none, 1),
                median(hotpath, 1));
        final double[] losses = new double[runs];
        for (int i = 0; i < runs; i++) {
            losses[i] = (1 - hotpath.get(i)[0] / none.get(i)[0]) * 100;
        }
        Arrays.sort(losses);
        System.out.printf(
                Locale.ROOT,
                "%s: paired loss (each hotpath run against the no-agent run before it) median %.1f %% (%.1f..%.1f %%),"
                        + " %d pairs%n",
                a.program,
                runs % 2 == 1 ? losses[runs / 2] : (losses[runs / 2 - 1] + losses[runs / 2]) / 2,
                losses[0],
                losses[runs - 1],
                runs);
    }

    /**
     * One run: the rate over its window, the offers refused in the window, and the slowest and fastest interval of the
     * window, in messages per second.
     */
    private static double[] once(Options a, String program, Path agent) throws Exception {
        final List<String> args = new ArrayList<>();
        final String launcher;
        if (a.pin == null) {
            launcher = a.children.java;
        } else {
            launcher = "taskset";
            args.addAll(List.of("-c", a.pin, a.children.java));
        }
        args.addAll(List.of(
                "-Xms512m", "-Xmx512m", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", Cli.ownJar()));
        if (agent != null) {
            args.add("-javaagent:" + agent);
            args.add("-Dhotpath.export.exporter=none");
            args.addAll(a.agentFlags);
        }
        args.add(program);
        final int seconds = a.warmup + a.window;
        args.add(Integer.toString(seconds));
        args.add(Integer.toString(a.interval));
        final ChildJvm.Result r = ChildJvm.run(launcher, args, seconds + 60L);
        final List<Progress> counts = r.linesStartingWith(Progress.PREFIX).stream()
                .map(Progress::parse)
                .toList();
        if (r.exitCode() != 0 || counts.isEmpty()) {
            throw new IllegalStateException(
                    "run failed (exit " + r.exitCode() + "): " + ChildJvm.tail(r.stdout() + r.stderr(), 5));
        }
        return window(counts, TimeUnit.SECONDS.toNanos(a.warmup));
    }

    /** {@link #once}'s figures from a run's counts: those from the first at or after {@code warmupNanos} on. */
    static double[] window(List<Progress> counts, long warmupNanos) {
        int from = 0;
        while (from < counts.size() && counts.get(from).nanos() < warmupNanos) {
            from++;
        }
        if (counts.size() - from < 2) {
            throw new IllegalStateException("fewer than two counts after the warm-up: " + counts);
        }
        final Progress first = counts.get(from);
        final Progress last = counts.get(counts.size() - 1);
        double slowest = Double.MAX_VALUE;
        double fastest = 0;
        for (int i = from + 1; i < counts.size(); i++) {
            final double rate = counts.get(i - 1).rateTo(counts.get(i));
            slowest = Math.min(slowest, rate);
            fastest = Math.max(fastest, rate);
        }
        return new double[] {first.rateTo(last), last.refused() - first.refused(), slowest, fastest};
    }

    private static double median(List<double[]> runs, int field) {
        final double[] v = runs.stream().mapToDouble(r -> r[field]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<double[]> runs) {
        return Arrays.stream(runs.stream().mapToDouble(r -> r[0]).toArray())
                .min()
                .orElse(Double.NaN);
    }

    private static double max(List<double[]> runs) {
        return Arrays.stream(runs.stream().mapToDouble(r -> r[0]).toArray())
                .max()
                .orElse(Double.NaN);
    }
}
