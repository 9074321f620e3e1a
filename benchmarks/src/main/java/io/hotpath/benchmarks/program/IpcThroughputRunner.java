package io.hotpath.benchmarks.program;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
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
 *     --agent hotpath-agent.jar [--runs 5] [--seconds 6] [--java path/to/java] [--pin 0-1] [--agent-flag -Dname=value]...
 * </pre>
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
    private static final Pattern RATE = Pattern.compile("msgPerSec=([0-9.]+)");
    private static final Pattern REFUSED = Pattern.compile("backPressured=([0-9]+)");

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

        @Option(names = "--seconds", converter = Cli.Positive.class, description = "length of a run (default 6)")
        int seconds = 6;

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
        final int seconds = a.seconds;
        final Path agent = a.agent.jar;
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
                final double[] r =
                        once(a.children.java, a.pin, program, seconds, withAgent ? agent : null, a.agentFlags);
                final String paired = withAgent && i >= 0
                        ? String.format(Locale.ROOT, "  paired loss %5.1f %%", (1 - r[0] / none.get(i)[0]) * 100)
                        : "";
                System.out.printf(
                        Locale.ROOT,
                        "%-8s run %2d %,14.0f msg/s  back-pressured %,d%s%s%n",
                        withAgent ? "hotpath" : "none",
                        i,
                        r[0],
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

    private static double[] once(
            String java, String pin, String program, int seconds, Path agent, List<String> agentFlags)
            throws Exception {
        final List<String> args = new ArrayList<>();
        final String launcher;
        if (pin == null) {
            launcher = java;
        } else {
            launcher = "taskset";
            args.addAll(List.of("-c", pin, java));
        }
        args.addAll(List.of(
                "-Xms512m", "-Xmx512m", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", Cli.ownJar()));
        if (agent != null) {
            args.add("-javaagent:" + agent);
            args.add("-Dhotpath.export.exporter=none");
            args.addAll(agentFlags);
        }
        args.add(program);
        args.add(Integer.toString(seconds));
        final ChildJvm.Result r = ChildJvm.run(launcher, args, seconds + 60L);
        final List<String> lines = r.linesStartingWith("RESULT");
        if (r.exitCode() != 0 || lines.isEmpty()) {
            throw new IllegalStateException(
                    "run failed (exit " + r.exitCode() + "): " + ChildJvm.tail(r.stdout() + r.stderr(), 5));
        }
        final Matcher rate = RATE.matcher(lines.get(0));
        final Matcher refused = REFUSED.matcher(lines.get(0));
        if (!rate.find()) {
            throw new IllegalStateException("no msgPerSec in: " + lines.get(0));
        }
        return new double[] {
            Double.parseDouble(rate.group(1)), refused.find() ? Double.parseDouble(refused.group(1)) : 0
        };
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
