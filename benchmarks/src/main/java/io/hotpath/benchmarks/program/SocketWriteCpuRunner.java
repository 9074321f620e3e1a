package io.hotpath.benchmarks.program;

import io.hotpath.benchmarks.AgentCheck;
import io.hotpath.benchmarks.AgentSetup;
import io.hotpath.benchmarks.report.Figure;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The agent's cost on a real {@code SocketChannel.write} of 64 bytes over TCP loopback (the path of
 * {@code SocketWriteBenchmark}), resolved to a few nanoseconds where the wall time of the write cannot be: the system
 * call takes about a microsecond and moves by hundreds of nanoseconds from one JVM to the next (where the reader
 * thread runs, whether the write has to wake it, what else the machine runs), far more than the advice costs.
 *
 * <p>What is measured instead is the writing thread's own CPU time ({@code ThreadMXBean.getCurrentThreadCpuTime},
 * exact to the nanosecond, time spent waiting for a core left out), of two ways of writing the same buffer to the same
 * socket: the channel's {@code write} (the method the agent advises) and the JDK's own {@code IOUtil.write} on the
 * channel's file descriptor (the very system call, which nothing advises). They alternate in blocks of
 * {@value #BLOCK} writes (about 10 ms), the order flipping each block, and a round sums each side over
 * {@code --writes} writes: its difference per write is what the channel's write costs above its system call. The
 * kernel's part is the same call on both sides, and whatever drifts over a run (another process, the reader thread's
 * placement, the state of the socket) drifts within milliseconds on both sides alike, so it cancels in the difference
 * as it does not in either side alone. Each run is a fresh JVM, with and without the agent alternating; the agent's
 * added cost is the difference of the medians (over runs, of each run's median round) of that per-write difference,
 * printed with the range the runs allow.
 *
 * <p>Not user-mode CPU time, which would leave the kernel out directly: the kernel splits a thread's time into user
 * and system mode by sampling at its tick (every few milliseconds; reported in 10 ms units), good to a few percent
 * of a microsecond-long write, tens of nanoseconds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hotpath.benchmarks.program.SocketWriteCpuRunner \
 *     --agent agent/target/hotpath-agent.jar [--runs 5] [--rounds 10] [--writes 300000] [--java JAVA] \
 *     [--agent-flag -Dname=value ...]
 * </pre>
 */
public final class SocketWriteCpuRunner {
    private static final String RESULT = "SOCKET-WRITE-CPU ";

    /** Writes of one kind between two reads of the thread's CPU clock. */
    private static final int BLOCK = 10_000;

    private SocketWriteCpuRunner() {}

    /** The command line; see the class comment. */
    @Command(name = "SocketWriteCpuRunner", mixinStandardHelpOptions = true)
    static final class Options {
        @Mixin
        Cli.Agent agent;

        @Option(names = "--runs", converter = Cli.Positive.class, description = "runs per setup (default 5)")
        int runs = 5;

        @Option(names = "--rounds", converter = Cli.Positive.class, description = "timed rounds per run (default 10)")
        int rounds = 10;

        @Option(
                names = "--writes",
                converter = Cli.Positive.class,
                description = "writes of each kind per round, rounded up to blocks of " + BLOCK + " (default 300000)")
        int writes = 300_000;

        @Option(
                names = "--agent-flag",
                description = "a -Dname=value flag for the runs with the agent only, repeatable")
        List<String> agentFlags = new ArrayList<>();

        @Mixin
        Cli.Java children;
    }

    public static void main(String[] args) throws Throwable {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        } else {
            Cli.main("SocketWriteCpuRunner", new Options(), args, SocketWriteCpuRunner::run);
        }
    }

    private static void run(Options a) throws Exception {
        final List<AgentSetup> setups = List.of(AgentSetup.none(), AgentSetup.hotpath(a.agent.jar));
        final int blocks = (a.writes + BLOCK - 1) / BLOCK;
        System.out.println("socket-write-cpu: " + a.runs + " runs per setup, alternating, " + a.rounds + " rounds of "
                + blocks * BLOCK + " writes of each kind; children on " + a.children.java);
        final List<List<double[]>> results = List.of(new ArrayList<>(), new ArrayList<>());
        for (int run = 0; run < a.runs; run++) {
            for (int s = 0; s < setups.size(); s++) {
                final double[] r = once(a, blocks, setups.get(s), s == 1 ? a.agentFlags : List.of());
                results.get(s).add(r);
                System.out.printf(
                        Locale.ROOT,
                        "socket-write-cpu: run %d %-7s write %7.1f  syscall alone %7.1f  difference %6.1f"
                                + "  wall %7.1f ns/write%n",
                        run + 1,
                        setups.get(s).name(),
                        r[0],
                        r[1],
                        r[2],
                        r[3]);
            }
        }
        final String[] what = {"write", "syscall alone", "write − syscall"};
        for (int m = 0; m < what.length; m++) {
            final Figure none = figure(results.get(0), m);
            final Figure agent = figure(results.get(1), m);
            System.out.printf(
                    Locale.ROOT,
                    "socket-write-cpu: thread CPU, %-15s none %s  hotpath %s  added %s ns/write%n",
                    what[m],
                    none.format(),
                    agent.format(),
                    agent.minus(none).formatSigned());
        }
    }

    private static Figure figure(List<double[]> runs, int measure) {
        return Figure.of(runs.stream().map(r -> r[measure]).toList());
    }

    private static double[] once(Options a, int blocks, AgentSetup setup, List<String> flags) throws Exception {
        final List<String> cmd = new ArrayList<>(List.of(
                "-Xms256m",
                "-Xmx256m",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "-Dhotpath.export.exporter=none"));
        cmd.addAll(setup.jvmArgs());
        cmd.addAll(flags);
        cmd.addAll(List.of(
                "-cp",
                Cli.ownJar(),
                SocketWriteCpuRunner.class.getName(),
                "--child",
                Integer.toString(a.rounds),
                Integer.toString(blocks)));
        final ChildJvm.Result r = ChildJvm.run(a.children.java, cmd, 600);
        final List<String> lines = r.linesStartingWith(RESULT);
        if (r.exitCode() != 0 || lines.size() != 1) {
            throw new IllegalStateException("run " + setup.name() + " exited with " + r.exitCode() + ": "
                    + ChildJvm.tail(r.stdout() + "\n" + r.stderr(), 5));
        }
        return Arrays.stream(lines.get(0).split(" "))
                .mapToDouble(Double::parseDouble)
                .toArray();
    }

    // ------------------------------------------------------------------ child

    /** {@code IOUtil.write(fd, buffer, -1, nd)}: the system call of a channel write, without the channel's method. */
    private static final class Syscall {
        static final MethodHandle WRITE;
        static final Object DISPATCHER;

        static {
            try {
                final Class<?> io = Class.forName("sun.nio.ch.IOUtil");
                final Class<?> nd = Class.forName("sun.nio.ch.NativeDispatcher");
                final Class<?> impl = Class.forName("sun.nio.ch.SocketChannelImpl");
                final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(io, MethodHandles.lookup());
                WRITE = lookup.findStatic(
                                io,
                                "write",
                                MethodType.methodType(
                                        int.class, FileDescriptor.class, ByteBuffer.class, long.class, nd))
                        .asType(MethodType.methodType(
                                int.class, FileDescriptor.class, ByteBuffer.class, long.class, Object.class));
                DISPATCHER = MethodHandles.privateLookupIn(impl, MethodHandles.lookup())
                        .findStaticGetter(impl, "nd", nd)
                        .invoke();
            } catch (Throwable t) {
                throw new IllegalStateException("run with --add-opens=java.base/sun.nio.ch=ALL-UNNAMED", t);
            }
        }
    }

    private static void child(int rounds, int blocks) throws Throwable {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (ServerSocketChannel server =
                        ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept()) {
            final Thread drainer = new Thread(() -> {
                final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
                try {
                    while (accepted.read(in.clear()) >= 0) {
                        // discard
                    }
                } catch (IOException e) {
                    // closed at the end
                }
            });
            drainer.setDaemon(true);
            drainer.start();
            final ByteBuffer payload = ByteBuffer.allocateDirect(64);
            final FileDescriptor fd =
                    (FileDescriptor) MethodHandles.privateLookupIn(client.getClass(), MethodHandles.lookup())
                            .findVirtual(client.getClass(), "getFD", MethodType.methodType(FileDescriptor.class))
                            .invoke(client);
            awaitAdvice(client, payload);
            for (int warm = 0; warm < 3 * blocks; warm++) { // well past C2 compilation of both loops
                channelWrites(client, payload, BLOCK);
                syscalls(fd, payload, BLOCK);
            }
            final double[] write = new double[rounds];
            final double[] alone = new double[rounds];
            final double[] difference = new double[rounds];
            long wallNanos = 0;
            for (int r = 0; r < rounds; r++) {
                long writeCpu = 0;
                long aloneCpu = 0;
                final long wall = System.nanoTime();
                for (int b = 0; b < blocks; b++) {
                    // Which of the two goes first alternates, so neither always follows the other's cache state.
                    final boolean writeFirst = (b & 1) == 0;
                    final long t0 = threads.getCurrentThreadCpuTime();
                    if (writeFirst) {
                        channelWrites(client, payload, BLOCK);
                    } else {
                        syscalls(fd, payload, BLOCK);
                    }
                    final long t1 = threads.getCurrentThreadCpuTime();
                    if (writeFirst) {
                        syscalls(fd, payload, BLOCK);
                    } else {
                        channelWrites(client, payload, BLOCK);
                    }
                    final long t2 = threads.getCurrentThreadCpuTime();
                    writeCpu += writeFirst ? t1 - t0 : t2 - t1;
                    aloneCpu += writeFirst ? t2 - t1 : t1 - t0;
                }
                wallNanos += System.nanoTime() - wall;
                final double n = (double) blocks * BLOCK;
                write[r] = writeCpu / n;
                alone[r] = aloneCpu / n;
                difference[r] = write[r] - alone[r];
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s%.2f %.2f %.2f %.2f%n",
                    RESULT,
                    Figure.of(write).median(),
                    Figure.of(alone).median(),
                    Figure.of(difference).median(),
                    wallNanos / (2.0 * rounds * blocks * BLOCK));
        }
    }

    /**
     * Writes until the agent's socket advice counted a write when this run expects the agent (it may land after the
     * program started: it is built in the background), else checks that no agent is there.
     */
    private static void awaitAdvice(SocketChannel client, ByteBuffer payload) throws Exception {
        client.write(payload.clear());
        AgentCheck.requireProbe("net.tcp#write");
        if (!AgentCheck.agentExpected()) {
            return;
        }
        final Probe[] write = new Probe[1];
        Probes.forEach(p -> {
            if (p.name().equals("net.tcp#write")) {
                write[0] = p;
            }
        });
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (write[0].total(Slot.CALLS) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the socket advice did not count a write within 60 s");
            }
            client.write(payload.clear());
            Thread.sleep(10);
        }
    }

    private static void channelWrites(SocketChannel client, ByteBuffer payload, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            client.write(payload.clear());
        }
    }

    private static void syscalls(FileDescriptor fd, ByteBuffer payload, int n) throws Throwable {
        final MethodHandle write = Syscall.WRITE;
        final Object nd = Syscall.DISPATCHER;
        for (int i = 0; i < n; i++) {
            final int w = (int) write.invokeExact(fd, payload.clear(), -1L, nd);
            if (w < 0) {
                throw new IOException("write returned " + w);
            }
        }
    }
}
