package io.hotpath.benchmarks.ipc;

/**
 * {@link AeronPollBenchmark}'s workload ({@link AeronIpc}: 16 offers of 64 bytes, then polls until the 16 fragments are read, on one
 * thread) timed by that thread's CPU time ({@link CpuRounds}), so that the time it waits for a core on a busy machine is not counted. Run
 * it once without and once with the agent, alternating, and compare the medians: the difference is the agent's added
 * cost per message, offer and poll together (the poll's own advice runs once per 16 fragments). A cross-check of the
 * JMH figures on a busy machine, not a replacement for them.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED [-javaagent:agent/target/hotpath-agent.jar] \
 *      -cp benchmarks/target/benchmarks.jar io.hotpath.benchmarks.ipc.AeronCpuTimeMain [rounds] [messages]
 * </pre>
 */
public final class AeronCpuTimeMain {
    private AeronCpuTimeMain() {}

    public static void main(String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        final int messages = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        try (AeronIpc ipc = AeronIpc.open(11)) {
            CpuRounds.print("offer+poll per message:", rounds, messages, () -> run(ipc, messages));
        }
    }

    private static void run(AeronIpc ipc, int n) {
        for (int m = 0; m < n; m += AeronIpc.BATCH) {
            ipc.offerAndPoll();
        }
    }
}
