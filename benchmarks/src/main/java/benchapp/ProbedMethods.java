package benchapp;

/**
 * A small application method for the declared-probe benchmark ({@code io.hotpath.benchmarks.ProbeBenchmark}); with
 * the agent it carries {@code -Dhotpath.probes=benchapp.ProbedMethods#small}. Outside {@code io.hotpath}, which the
 * agent never instruments.
 */
public final class ProbedMethods {
    /** Class and method as a hotpath probe entry names them. */
    public static final String PROBE = "benchapp.ProbedMethods#small";

    private ProbedMethods() {}

    /** A few cycles of arithmetic the JIT cannot fold away when the argument varies. */
    public static long small(long x) {
        return x * 0x9E3779B97F4A7C15L + 7;
    }
}
