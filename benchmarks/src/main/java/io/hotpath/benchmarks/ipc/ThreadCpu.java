package io.hotpath.benchmarks.ipc;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CPU time of the benchmark thread in each iteration, reported by JMH beside the score (an event count): it leaves out
 * the time the thread waited for a core, which on a busy machine moves the score by far more than the agent's cost.
 * {@link IpcBenchmarkMain} prints it per operation beside the score. A benchmark method takes it as a parameter.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU time of the benchmark thread in the iteration, in nanoseconds. */
    public long cpuNanos;

    private long cpuStart;

    @Setup(Level.Iteration)
    public void startCpu() {
        cpuStart = THREADS.getCurrentThreadCpuTime();
    }

    @TearDown(Level.Iteration)
    public void stopCpu() {
        cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
    }
}
