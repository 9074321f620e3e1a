package io.hotpath.agent.optimize.control;

/**
 * What one analyzer window measured on the path a tunable acts on: the optimizer's input signals, in plain units so
 * that controllers can be tested with synthetic series. {@code Double.NaN} means not measured.
 *
 * @param seconds the window's length in seconds
 * @param throughput items completed per second
 * @param p99Millis 99th percentile latency of the path, in milliseconds
 * @param errorsPerSecond errors per second
 * @param overflowPerSecond refused offers, rejections and dropped items per second
 * @param cpu process CPU use over the window, 0 to 1 of all cores
 * @param inFlightMillis mean time an item spends between being queued and being flushed or run
 * @param backlog items waiting at the end of the window (queue depth)
 * @param messages whether the items counted are the application's messages (queues, sends, calls), as opposed to
 *     tasks of a pool (one task may carry a whole batch), so that a batch-size change is judged by messages
 */
public record Window(
        double seconds,
        double throughput,
        double p99Millis,
        double errorsPerSecond,
        double overflowPerSecond,
        double cpu,
        double inFlightMillis,
        double backlog,
        boolean messages) {

    /** A window with only throughput and latency, everything else zero or unmeasured; for tests and simple paths. */
    public static Window of(double throughput, double p99Millis) {
        return new Window(1, throughput, p99Millis, 0, 0, Double.NaN, Double.NaN, 0, true);
    }

    /** Same window with another CPU use. */
    Window withCpu(double value) {
        return new Window(
                seconds,
                throughput,
                p99Millis,
                errorsPerSecond,
                overflowPerSecond,
                value,
                inFlightMillis,
                backlog,
                messages);
    }

    /** Same window with another in-flight time. */
    Window withInFlight(double millis) {
        return new Window(
                seconds, throughput, p99Millis, errorsPerSecond, overflowPerSecond, cpu, millis, backlog, messages);
    }

    /** Same window with other error and overflow rates. */
    Window withFaults(double errors, double overflow) {
        return new Window(seconds, throughput, p99Millis, errors, overflow, cpu, inFlightMillis, backlog, messages);
    }

    /** Same window with another backlog. */
    public Window withBacklog(double items) {
        return new Window(
                seconds,
                throughput,
                p99Millis,
                errorsPerSecond,
                overflowPerSecond,
                cpu,
                inFlightMillis,
                items,
                messages);
    }
}
