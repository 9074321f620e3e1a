package io.hotpath.benchmarks.program;

import benchapp.MonitoredRecursion;
import io.hotpath.benchmarks.AgentCheck;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * The child JVM of the MooBench-style harness: calls {@link MonitoredRecursion#monitoredMethod} with recursion depth
 * {@code depth} (so {@code depth} monitored calls per top-level call) for {@code warmupMs}, then for {@code batches}
 * batches of at least {@code batchMs} each, and prints one line per batch: {@code MOOBENCH <ns per monitored call>}.
 * Time is read every {@value #CALLS_PER_CLOCK_READ} top-level calls, so the clock costs nothing per call.
 *
 * <p>Before measuring it checks that the setup it was launched for is in effect: with {@code -Dbench.queue.expect}
 * the hotpath probe (see {@link AgentCheck}), with {@code -Dbench.otel.expect=true} an OpenTelemetry span around the
 * instrumented method; a run whose instrumentation is missing exits with status 3 instead of printing figures.
 *
 * <pre>
 * java -cp benchmarks.jar io.hotpath.benchmarks.program.MooBenchDriver depth warmupMs batches batchMs
 * </pre>
 */
public final class MooBenchDriver {
    /** Prefix of a batch line. */
    static final String BATCH = "MOOBENCH ";

    /** System property: {@code true} when the OpenTelemetry agent must be instrumenting the method. */
    static final String OTEL_EXPECT_PROPERTY = "bench.otel.expect";

    private static final int CALLS_PER_CLOCK_READ = 1000;

    /** Top-level calls the warm-up makes at least, whatever its duration: 10^6 monitored calls at depth 10. */
    static final long MIN_WARMUP_CALLS = 100_000;

    private MooBenchDriver() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println(
                    "usage: MooBenchDriver depth warmupMs batches batchMs (got " + args.length + " arguments)");
            System.exit(2);
        }
        final int depth = Integer.parseInt(args[0]);
        final long warmupMs = Long.parseLong(args[1]);
        final int batches = Integer.parseInt(args[2]);
        final long batchMs = Long.parseLong(args[3]);
        final MonitoredRecursion subject = new MonitoredRecursion();
        long sink = subject.monitoredMethod(0, depth);
        try {
            AgentCheck.requireProbe(MonitoredRecursion.PROBE);
            checkOtel(subject);
        } catch (IllegalStateException e) {
            System.err.println("MooBenchDriver: " + e.getMessage());
            System.exit(3);
        }
        sink += loop(subject, depth, warmupMs * 1_000_000L, MIN_WARMUP_CALLS, null);
        final double[] nsPerCall = new double[1];
        for (int b = 0; b < batches; b++) {
            sink += loop(subject, depth, batchMs * 1_000_000L, 0, nsPerCall);
            System.out.println(BATCH + String.format(Locale.ROOT, "%.3f", nsPerCall[0]));
        }
        // Printing the sink keeps the JIT from discarding the calls.
        System.out.println("MOOBENCH-SINK " + sink);
    }

    /**
     * Top-level calls for at least {@code nanos} and {@code minCalls}; stores ns per monitored call in
     * {@code result[0]} when given.
     */
    private static long loop(MonitoredRecursion subject, int depth, long nanos, long minCalls, double[] result) {
        long sink = 0;
        long calls = 0;
        final long start = System.nanoTime();
        long now;
        do {
            for (int i = 0; i < CALLS_PER_CLOCK_READ; i++) {
                sink += subject.monitoredMethod(calls + i, depth);
            }
            calls += CALLS_PER_CLOCK_READ;
            now = System.nanoTime();
        } while (now - start < nanos || calls < minCalls);
        if (result != null) {
            result[0] = (now - start) / (double) (calls * depth);
        }
        return sink;
    }

    /** With the OpenTelemetry agent expected, throws unless a valid span is current inside the instrumented code. */
    private static void checkOtel(MonitoredRecursion subject) throws ReflectiveOperationException {
        final boolean expected = Boolean.getBoolean(OTEL_EXPECT_PROPERTY);
        final Class<?> bridge;
        try {
            // The agent's bootstrap bridge, the same the instrumentation's advice uses.
            bridge = Class.forName("io.opentelemetry.javaagent.bootstrap.Java8BytecodeBridge", false, null);
        } catch (ClassNotFoundException e) {
            if (expected) {
                throw new IllegalStateException("OpenTelemetry agent expected but it is not loaded");
            }
            return;
        }
        final Method currentSpan = bridge.getMethod("currentSpan");
        final Method spanContext = currentSpan.getReturnType().getMethod("getSpanContext");
        final Method isValid = spanContext.getReturnType().getMethod("isValid");
        final boolean inside = subject.insideSpan(() -> {
            try {
                return (Boolean) isValid.invoke(spanContext.invoke(currentSpan.invoke(null)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read the current span: " + e, e);
            }
        });
        if (expected != inside) {
            throw new IllegalStateException(
                    expected
                            ? "OpenTelemetry agent loaded but the instrumented method runs in no span"
                            : "no OpenTelemetry instrumentation expected but the method runs in a span");
        }
    }
}
