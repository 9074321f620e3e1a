package io.hotpath.benchmarks.ipc;

import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.ipc.Endpoints;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the socket channel write advice records per call, without the system call that hides it in
 * {@link SocketWriteBenchmark}: {@code once} is the recording the advice does (the sampling decision on entry, then
 * the call and its bytes in one packed add on the connection's endpoint probe), {@code twoAdds} the recording before
 * the pair was packed (the call counted on entry, the bytes in a second add), {@code onBoth} the earlier recording on
 * both the operation and the endpoint probe, {@code lookupOnly} the identity lookup alone that all start with, and
 * {@code baseline} an empty call. Run without the agent: it calls the recording core directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SocketRecordBenchmark {
    private final Object channel = new Object();

    /** The buffer of a write that took every byte it was offered. */
    private final ByteBuffer taken = ByteBuffer.allocate(0);

    private Probe write;
    private int writeId;

    @Setup
    public void setUp() {
        final String family = "bench.tcp";
        write = Probes.register(family + "#write", PathKind.IPC, 0);
        writeId = write.id();
        Endpoints.streamOperation(family, true, write);
        Endpoints.open(channel, family + " to", "peer");
    }

    @Benchmark
    public long baseline() {
        return writeId;
    }

    @Benchmark
    public long lookupOnly() {
        return Endpoints.cellOf(channel);
    }

    @Benchmark
    public long once() {
        final long token = Endpoints.beginWrite(channel, null, writeId, writeId);
        Endpoints.writeDone(channel, null, writeId, writeId, token, 64, taken, null);
        return token;
    }

    @Benchmark
    public long twoAdds() {
        final long cell = Endpoints.cellOf(channel);
        final Probe e = Endpoints.probeOf(cell);
        final long start = e.tick(Slot.IN);
        final Probe p = Probes.get(writeId);
        Endpoints.probeOf(cell).add(Slot.BYTES_OUT, 64);
        p.end(start);
        return start;
    }

    @Benchmark
    public long onBoth() {
        final long cell = Endpoints.cellOf(channel);
        final Probe p = Probes.get(writeId);
        final long start = p.begin();
        p.add(Slot.BYTES_OUT, 64);
        final Probe e = Endpoints.probeOf(cell);
        if (e != null) {
            e.add(Slot.BYTES_OUT, 64);
        }
        p.end(start);
        return start;
    }
}
