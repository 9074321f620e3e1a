package benchapp;

/**
 * The monitored method of the MooBench-style whole-program harness ({@code io.hotpath.benchmarks.moobench}): one
 * top-level call recurses until {@code depth} reaches 1, so every top-level call makes {@code depth} monitored calls.
 * Like MooBench's {@code MonitoredClassSimple} it does no work of its own beyond the recursion, so what a monitoring
 * agent adds is most of what is measured.
 *
 * <p>Outside {@code io.hotpath} on purpose: the agent never instruments its own packages, and a declared probe
 * ({@code -Dhotpath.probes=benchapp.MonitoredRecursion#monitoredMethod}) or the OpenTelemetry agent's
 * {@code otel.instrumentation.methods.include=benchapp.MonitoredRecursion[monitoredMethod]} must find it.
 */
public final class MonitoredRecursion {
    /** Class and method as a hotpath probe entry names them. */
    public static final String PROBE = "benchapp.MonitoredRecursion#monitoredMethod";

    /**
     * Class and methods as the OpenTelemetry agent's method instrumentation names them: the measured method, and
     * {@link #insideSpan}, which the harness calls once (outside the measurement) to prove the instrumentation is on.
     */
    public static final String OTEL_METHODS = "benchapp.MonitoredRecursion[monitoredMethod,insideSpan]";

    /** One top-level call: {@code depth} monitored calls; the result depends on every level. */
    public long monitoredMethod(long value, int depth) {
        if (depth > 1) {
            return monitoredMethod(value + 1, depth - 1) ^ depth;
        }
        return value;
    }

    /** Runs {@code check} inside this method, i.e. inside the span the OpenTelemetry agent opens for it. */
    public boolean insideSpan(java.util.function.BooleanSupplier check) {
        return check.getAsBoolean();
    }
}
