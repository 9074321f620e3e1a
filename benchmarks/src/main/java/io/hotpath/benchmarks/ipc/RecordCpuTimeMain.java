package io.hotpath.benchmarks.ipc;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.Endpoints;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * The socket write recording of {@link SocketRecordBenchmark} timed by the benchmark thread's own CPU time instead of
 * the wall clock: on a machine where other processes keep every core busy, a wall-clock average counts the time the
 * thread waited for a core, while its CPU time does not. A cross-check of the JMH figures on a busy machine, not a
 * replacement for them: each variant runs in rounds of {@code calls} calls, alternating, and the median round is
 * reported in CPU nanoseconds per call, with an empty loop as the baseline.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.hotpath.benchmarks.ipc.RecordCpuTimeMain [rounds] [calls]
 * </pre>
 */
public final class RecordCpuTimeMain {
    private static final Object CHANNEL = new Object();

    /** The buffer of a write that took every byte it was offered. */
    private static final ByteBuffer TAKEN = ByteBuffer.allocate(0);

    private static Probe write;
    private static int writeId;
    private static long sink;

    private RecordCpuTimeMain() {}

    public static void main(String[] args) {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        final int calls = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        final String family = "cpu.tcp";
        write = Probes.register(family + "#write", PathKind.IPC, 0);
        writeId = write.id();
        Endpoints.streamOperation(family, true, write);
        Endpoints.open(CHANNEL, family + " to", "peer");
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final String[] names = {"baseline", "lookupOnly", "once", "twoAdds"};
        final double[][] perCall = new double[names.length][rounds];
        for (int warm = 0; warm < 3; warm++) {
            for (int v = 0; v < names.length; v++) {
                run(v, calls);
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < names.length; v++) {
                final long start = threads.getCurrentThreadCpuTime();
                run(v, calls);
                perCall[v][r] = (double) (threads.getCurrentThreadCpuTime() - start) / calls;
            }
        }
        final double base = median(perCall[0]);
        for (int v = 0; v < names.length; v++) {
            final double m = median(perCall[v]);
            System.out.printf(
                    Locale.ROOT,
                    "%-12s median %6.2f ns/call (CPU)  min %6.2f  added over baseline %+6.2f%n",
                    names[v],
                    m,
                    Arrays.stream(perCall[v]).min().orElse(Double.NaN),
                    m - base);
        }
        System.out.println("(sink " + sink + ", calls " + write.total(Slot.CALLS) + ")");
    }

    private static void run(int variant, int calls) {
        long acc = 0;
        switch (variant) {
            case 0 -> {
                for (int i = 0; i < calls; i++) {
                    acc += writeId + i;
                }
            }
            case 1 -> {
                for (int i = 0; i < calls; i++) {
                    acc += Endpoints.cellOf(CHANNEL);
                }
            }
            case 2 -> {
                for (int i = 0; i < calls; i++) {
                    final long token = Endpoints.beginWrite(CHANNEL, null, writeId, writeId);
                    Endpoints.writeDone(CHANNEL, null, writeId, writeId, token, 64, TAKEN, null);
                    acc += token;
                }
            }
            default -> {
                for (int i = 0; i < calls; i++) {
                    final long cell = Endpoints.cellOf(CHANNEL);
                    final Probe e = Endpoints.probeOf(cell);
                    final long start = e.tick(Slot.IN);
                    Endpoints.probeOf(cell).add(Slot.BYTES_OUT, 64);
                    Probes.get(writeId).end(start);
                    acc += start;
                }
            }
        }
        sink += acc;
    }

    private static double median(double[] values) {
        final double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
