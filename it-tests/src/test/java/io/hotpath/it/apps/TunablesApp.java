package io.hotpath.it.apps;

import java.util.stream.Collectors;

/**
 * Declared tunables on a static field, an instance field, a final instance field and a boolean, plus a compile-time
 * constant the agent must reject. Prints what it reads before and after the agent changes the tunables (through the
 * test hook hotpath.it.optimizer.set), and the agent's optimizer threads. Argument: how long to wait for the change,
 * in milliseconds.
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
        final long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
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

    private static void print(String label, Broadcaster a, Broadcaster b) {
        System.out.println(label + " static=" + staticBatch() + " a.batch=" + a.batchSize() + " b.batch="
                + b.batchSize + " a.final=" + a.finalBatch() + " b.final=" + b.finalBatch + " zip=" + a.compress()
                + " constant=" + CONSTANT);
    }
}
