package io.hotpath.bootstrap;

/** The distributions a probe may record, by index. Only those its kind needs are allocated. */
public final class Dist {
    /** Duration of a call or task run, or how long a producer was blocked (ns). */
    public static final int LATENCY = 0;
    /** How long a consumer waited for a message, or a task waited in the queue (ns). */
    public static final int WAIT = 1;
    /** Sizes: elements per batch drain, recipients per fan-out, bytes per write. */
    public static final int SIZE = 2;

    /** How many distributions a probe may have. */
    public static final int COUNT = 3;

    /** Bit set for {@link Probes#register} meaning: allocate this distribution. */
    public static int bit(int dist) {
        return 1 << dist;
    }

    private static final String[] NAMES = {"latency", "wait", "size"};

    private Dist() {}

    /** The name of a distribution, as used in output. */
    public static String name(int dist) {
        return NAMES[dist];
    }
}
