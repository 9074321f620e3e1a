package io.hotpath.it.apps;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Declared tunables on a static field, an instance field, a final instance field and a boolean, plus a compile-time
 * constant the agent must reject. Sets the tunables as an operator would, through the agent's JMX operation
 * {@code setTunable} (the bean appears a few seconds after start), and prints what it reads before and after, each
 * answer of the operation that is not a success, and the agent's optimizer threads. Arguments: how long to wait for
 * the change, in milliseconds; the changes, {@code name=value;...}.
 */
public final class TunablesApp {
    static int staticBatch = Integer.parseInt("5");
    static final int CONSTANT = 7;

    private TunablesApp() {}

    static final class Broadcaster {
        private int batchSize;
        private final int finalBatch;
        private boolean compress;

        Broadcaster(int batchSize, int finalBatch) {
            this.batchSize = batchSize;
            this.finalBatch = finalBatch;
        }

        int batchSize() {
            return batchSize;
        }

        int finalBatch() {
            return finalBatch;
        }

        boolean compress() {
            return compress;
        }
    }

    static int staticBatch() {
        return staticBatch;
    }

    public static void main(String[] args) throws Exception {
        final long waitMillis = Long.parseLong(args[0]);
        final Broadcaster a = new Broadcaster(3, 30);
        final Broadcaster b = new Broadcaster(4, 40);
        print("BEFORE", a, b);
        final Map<String, Long> pending = new LinkedHashMap<>();
        for (String set : args[1].split(";")) {
            final String[] nv = set.split("=");
            pending.put(nv[0], Long.parseLong(nv[1]));
        }
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final ObjectName agent = new ObjectName("io.hotpath:type=Agent");
        final long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (!pending.isEmpty() && server.isRegistered(agent)) {
                pending.entrySet().removeIf(e -> {
                    final String answer = setTunable(server, agent, e.getKey(), e.getValue());
                    if (answer.contains("\"error\"")) {
                        System.out.println("SET " + e.getKey() + " " + answer);
                    }
                    return true;
                });
            }
            if (staticBatch() != 5 && a.batchSize() != 3 && a.finalBatch() != 30 && a.compress()) {
                break;
            }
            Thread.sleep(5);
        }
        print("AFTER", a, b);
        System.out.println("THREADS "
                + Thread.getAllStackTraces().keySet().stream()
                        .map(Thread::getName)
                        .filter(n -> n.startsWith("hotpath-optimizer"))
                        .sorted()
                        .collect(Collectors.joining(",", "[", "]")));
    }

    private static String setTunable(MBeanServer server, ObjectName agent, String name, long value) {
        try {
            return (String) server.invoke(
                    agent, "setTunable", new Object[] {name, value}, new String[] {"java.lang.String", "long"});
        } catch (javax.management.JMException e) {
            return "{\"error\":\"" + e + "\"}";
        }
    }

    private static void print(String label, Broadcaster a, Broadcaster b) {
        System.out.println(label + " static=" + staticBatch() + " a.batch=" + a.batchSize() + " b.batch="
                + b.batchSize + " a.final=" + a.finalBatch() + " b.final=" + b.finalBatch + " zip=" + a.compress()
                + " constant=" + CONSTANT);
    }
}
