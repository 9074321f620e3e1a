package io.hotpath.it.apps;

import java.util.ArrayList;
import java.util.List;

/** Calls methods a known number of times, some throwing, for declared-probe tests. Prints its own counts. */
public final class DeclaredProbesApp {
    private DeclaredProbesApp() {}

    /** A broadcaster whose publish fans a batch out to its recipients. */
    public static final class Broadcaster {
        private final List<String> recipients = new ArrayList<>();
        private long delivered;

        void publish(List<String> batch) {
            for (String r : recipients) {
                delivered += batch.size() + r.length();
            }
        }
    }

    /** Handlers matched by a glob on class and method. */
    public static final class OrderHandler {
        int handleOrder(int i) {
            if (i % 10 == 0) {
                throw new IllegalStateException("order " + i);
            }
            return i * 2;
        }

        int handleRefund(int i) {
            return i + 1;
        }

        int notAHandlerMethod(int i) {
            return i;
        }
    }

    public static void main(String[] args) {
        final int n = Integer.parseInt(args[0]);
        final Broadcaster b = new Broadcaster();
        b.recipients.add("a");
        b.recipients.add("bb");
        final OrderHandler h = new OrderHandler();
        long errors = 0;
        long sum = 0;
        long items = 0;
        for (int i = 0; i < n; i++) {
            final List<String> batch = new ArrayList<>();
            for (int k = 0; k <= i % 5; k++) {
                batch.add("m" + k);
            }
            items += batch.size();
            b.publish(batch);
            try {
                sum += h.handleOrder(i);
            } catch (IllegalStateException e) {
                errors++;
            }
            sum += h.handleRefund(i) + h.notAHandlerMethod(i);
        }
        System.out.println("TRUTH publish=" + n + " items=" + items + " handleOrder=" + n + " errors=" + errors
                + " handleRefund=" + n + " sum=" + sum + " delivered=" + b.delivered);
    }
}
