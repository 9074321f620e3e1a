package io.hotpath.it.apps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * An application that is hard on an agent: declared probes whose methods throw checked, unchecked and error
 * throwables, a recursion inside a declared probe that ends in StackOverflowError, and an OutOfMemoryError. It checks
 * itself that every throwable reaches it unchanged (the very instance thrown) and prints its own counts.
 */
public final class HostileApp {
    private HostileApp() {}

    /** Thrown as is, so the caller can check it receives the very instance. */
    static final IOException CHECKED = new IOException("checked from Thrower");

    static final IllegalStateException UNCHECKED = new IllegalStateException("unchecked from Thrower");

    static final AssertionError ERROR = new AssertionError("error from Thrower");

    /** Methods named by hotpath.probes that throw. */
    public static final class Thrower {
        int checked(int i) throws IOException {
            if (i % 3 == 0) {
                throw CHECKED;
            }
            return i;
        }

        int unchecked(int i) {
            if (i % 4 == 0) {
                throw UNCHECKED;
            }
            return i;
        }

        int error(int i) {
            if (i % 5 == 0) {
                throw ERROR;
            }
            return i;
        }
    }

    /** A recursion named by hotpath.probes: each frame is an instrumented call. */
    public static final class Deep {
        static long entries;

        static int down(int depth) {
            entries++;
            return depth == 0 ? 0 : 1 + down(depth - 1);
        }
    }

    static final ArrayBlockingQueue<Integer> INBOX = new ArrayBlockingQueue<>(64);

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "throw" -> throwing(Integer.parseInt(args[1]));
            case "recurse" -> recursing(Integer.parseInt(args[1]));
            case "oom" -> outOfMemory(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void throwing(int n) {
        final Thrower t = new Thrower();
        long checked = 0;
        long unchecked = 0;
        long errors = 0;
        long wrong = 0;
        for (int i = 0; i < n; i++) {
            try {
                t.checked(i);
            } catch (IOException e) {
                checked++;
                wrong += e == CHECKED && e.getStackTrace().length > 0 ? 0 : 1;
            }
            try {
                t.unchecked(i);
            } catch (IllegalStateException e) {
                unchecked++;
                wrong += e == UNCHECKED ? 0 : 1;
            }
            try {
                t.error(i);
            } catch (AssertionError e) {
                errors++;
                wrong += e == ERROR ? 0 : 1;
            }
        }
        System.out.println("TRUTH calls=" + n + " checked=" + checked + " unchecked=" + unchecked + " errors=" + errors
                + " wrong=" + wrong);
    }

    private static void recursing(int overflows) {
        long seen = 0;
        for (int k = 0; k < overflows; k++) {
            try {
                Deep.down(Integer.MAX_VALUE);
            } catch (StackOverflowError e) {
                seen++;
            }
        }
        final long beforeShallow = Deep.entries;
        // After the overflows the probe keeps counting: 1000 shallow calls of 10 frames each.
        long sum = 0;
        for (int i = 0; i < 1000; i++) {
            sum += Deep.down(9);
        }
        System.out.println("TRUTH overflows=" + seen + " entries=" + Deep.entries + " shallow="
                + (Deep.entries - beforeShallow) + " sum=" + sum);
    }

    private static void outOfMemory(int n) throws InterruptedException {
        List<long[]> hog = new ArrayList<>();
        boolean oom = false;
        try {
            while (true) {
                hog.add(new long[64 * 1024]);
            }
        } catch (OutOfMemoryError e) {
            oom = true;
        }
        hog = null;
        System.gc();
        // The application goes on after its OutOfMemoryError; so must the agent's recording.
        long polled = 0;
        for (int i = 0; i < n; i++) {
            INBOX.offer(i);
            if (INBOX.poll() != null) {
                polled++;
            }
        }
        final StringBuilder threads = new StringBuilder();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("hotpath")) {
                threads.append(t.getName())
                        .append(t.isDaemon() ? "(daemon)" : "(user)")
                        .append(' ');
            }
        }
        System.out.println("TRUTH oom=" + oom + " offered=" + n + " polled=" + polled + " hog=" + hog);
        System.out.println("THREADS " + threads.toString().trim());
    }
}
