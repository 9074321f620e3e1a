package io.hotpath.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * One way of launching the benchmark JVMs: which agent (if any) is attached, and what class the benchmarked queues
 * must have inside the fork. {@link QueueBenchmark} reads the expectation back from {@link #EXPECT_PROPERTY} and
 * refuses to run when it does not hold, so a configuration can never silently measure the wrong path.
 *
 * <p>Extension point: another agent (for example the OpenTelemetry Java agent, as a peer to compare with) is one more
 * factory method here returning its {@code -javaagent:} arguments and {@link QueueClass#PLAIN} (it does not replace
 * queues), plus one entry in the list {@link BenchmarkMain} builds; the report then shows it as one more column.
 *
 * @param name short name used in tables and result file names
 * @param description what is attached, for the report
 * @param jvmArgs arguments appended to every fork's command line
 * @param queues the class the benchmarked queues must have
 */
public record AgentSetup(String name, String description, List<String> jvmArgs, QueueClass queues) {
    /** System property telling the fork which queue class to expect; not {@code hotpath.*}, which the agent owns. */
    public static final String EXPECT_PROPERTY = "bench.queue.expect";

    /** What class a queue created by application code must have in a given setup. */
    public enum QueueClass {
        /** The JDK's own class. */
        PLAIN,
        /** A hotpath {@code io.hotpath.bootstrap.jdk.Tracked*} subclass loaded by the bootstrap loader. */
        TRACKED;

        /** The value of {@link #EXPECT_PROPERTY}. */
        public String property() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public AgentSetup {
        jvmArgs = List.copyOf(jvmArgs);
    }

    /** No agent: the baseline. */
    public static AgentSetup none() {
        return new AgentSetup("none", "no agent", List.of(expect(QueueClass.PLAIN)), QueueClass.PLAIN);
    }

    /** The hotpath agent with its default configuration. */
    public static AgentSetup hotpath(Path agentJar) {
        return new AgentSetup(
                "hotpath",
                "-javaagent:hotpath-agent.jar, default configuration",
                List.of("-javaagent:" + agentJar.toAbsolutePath(), expect(QueueClass.TRACKED)),
                QueueClass.TRACKED);
    }

    private static String expect(QueueClass queues) {
        return "-D" + EXPECT_PROPERTY + "=" + queues.property();
    }
}
