package io.hotpath.reference;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A bottleneck injected at a chosen moment of a run, for measuring how fast an analyzer finds it: {@code --fault KIND}
 * with {@code --fault-at T} (time after the producers started, default 3s: the wire transports take a while to
 * start, which must not eat into the time before the fault). At onset one line {@code FAULT-ONSET <kind> <epochMillis>}
 * goes to stdout. Kinds:
 *
 * <ul>
 *   <li>{@code slow-subscriber}: subscriber 0 waits {@value #SLOW_SUBSCRIBER_MICROS} us more per message, so its
 *       queue fills and pushes back on the dispatcher;
 *   <li>{@code saturated-dispatcher}: every fan-out task waits {@value #DISPATCHER_PAUSE_MILLIS} ms more, so the
 *       dispatcher pool is busy with tasks waiting and rejects batches;
 *   <li>{@code lock-contention}: every subscriber consumer enters one shared monitor per message and holds it for
 *       {@value #CONTENDED_HOLD_MICROS} us of CPU work;
 *   <li>{@code gc-pressure}: {@value #STORM_THREADS} threads allocate without pause, keeping a churning live set, so
 *       the collector runs back to back;
 *   <li>{@code socket-back-pressure} (needs {@code --transport tcp}, {@code uds} or {@code all}): the first Netty
 *       client of every socket broadcast reads {@value #SLOW_WIRE_MICROS} us more per frame, so its socket buffers
 *       fill, the server's writes come back partial and its channel turns unwritable, which holds the dispatcher;
 *   <li>{@code aeron-back-pressure} (needs {@code --transport aeron} or {@code all}): the Aeron stage's subscriber
 *       waits {@value #SLOW_AERON_MICROS} us more per fragment and polls one at a time, so the publication's window
 *       fills and offers come back {@code BACK_PRESSURED}.
 * </ul>
 *
 * The two wire faults end when the producers stop, so the backlog drains quickly; the others last to the exit.
 *
 * <p>The stages read the fault fields on every message: volatile reads that cost nothing next to a queue hand-off,
 * and are false / zero until onset, so runs without {@code --fault} behave exactly as before.
 */
public final class Faults {
    /** Extra wait per message of the slow subscriber. */
    static final long SLOW_SUBSCRIBER_MICROS = 1000;

    /** Extra wait per fan-out task of the saturated dispatcher. */
    static final long DISPATCHER_PAUSE_MILLIS = 40;

    /** CPU work done while holding the contended monitor, per message. */
    static final long CONTENDED_HOLD_MICROS = 50;

    /** Extra wait per frame of the first client of a socket broadcast. */
    static final long SLOW_WIRE_MICROS = 20000;

    /** Extra wait per fragment of the Aeron stage's subscriber. */
    static final long SLOW_AERON_MICROS = 5000;

    /** Allocating threads of the GC-pressure fault. */
    static final int STORM_THREADS = 2;

    /** Objects the allocation storm keeps alive at a time (each 64 B to 4 KiB, replaced at random). */
    static final int STORM_LIVE_OBJECTS = 100_000;

    /** Default of {@code --fault-at}. */
    static final Duration DEFAULT_ONSET = Duration.ofSeconds(3);

    /** The injectable faults, by their command-line names. */
    public enum Kind {
        SLOW_SUBSCRIBER,
        SATURATED_DISPATCHER,
        LOCK_CONTENTION,
        GC_PRESSURE,
        SOCKET_BACK_PRESSURE,
        AERON_BACK_PRESSURE;

        /** The command-line name: lower case with dashes. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Kind of(String name) {
            for (Kind k : values()) {
                if (k.cliName().equals(name.trim())) {
                    return k;
                }
            }
            final List<String> names = new ArrayList<>();
            for (Kind k : values()) {
                names.add(k.cliName());
            }
            throw new ArgumentException("--fault '" + name + "' is not a fault: allowed " + String.join(", ", names));
        }
    }

    private static final Object MONITOR = new Object();

    private static volatile String slowSubscriber;
    private static volatile long dispatcherPauseNanos;
    private static volatile boolean contended;
    private static volatile long wirePauseNanos;
    private static volatile long aeronPauseNanos;
    private static volatile boolean slowReaderPlanned;

    private Faults() {}

    /**
     * The fault options of a command line.
     *
     * @param kind the fault, or null for none
     * @param onset time after start
     */
    record Plan(Kind kind, Duration onset) {}

    /** The plan {@code --fault K} and {@code --fault-at T} give (null when absent). */
    static Plan plan(String fault, String faultAt) {
        final Kind kind = fault == null ? null : Kind.of(fault);
        final Duration onset = faultAt == null ? null : BroadcasterConfig.duration("--fault-at", faultAt);
        if (onset != null && kind == null) {
            throw new ArgumentException("--fault-at needs --fault KIND to say which fault");
        }
        return new Plan(kind, onset == null ? DEFAULT_ONSET : onset);
    }

    /** Counted down when the producers start: the fault's clock starts then. */
    private static final java.util.concurrent.CountDownLatch PRODUCING = new java.util.concurrent.CountDownLatch(1);

    /**
     * Starts a daemon thread that injects the plan's fault {@code onset} after {@link #producersStarting}; nothing when
     * there is none.
     */
    static void arm(Plan plan, PrintStream out) {
        if (plan.kind() == null) {
            return;
        }
        slowReaderPlanned = plan.kind() == Kind.SOCKET_BACK_PRESSURE;
        final Thread t = new Thread(
                () -> {
                    try {
                        PRODUCING.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    final long onsetNanos = System.nanoTime() + plan.onset().toNanos();
                    long left;
                    while ((left = onsetNanos - System.nanoTime()) > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(left);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    final long at = System.currentTimeMillis();
                    inject(plan.kind());
                    out.println("FAULT-ONSET " + plan.kind().cliName() + " " + at);
                    out.flush();
                    if (plan.kind() == Kind.GC_PRESSURE) {
                        allocationStorm();
                    }
                },
                "fault-injector");
        t.setDaemon(true);
        t.start();
    }

    /** Called by the broadcaster just before it starts the producers, every stage being up. */
    static void producersStarting() {
        PRODUCING.countDown();
    }

    private static void inject(Kind kind) {
        switch (kind) {
            case SLOW_SUBSCRIBER -> slowSubscriber = "subscriber-0";
            case SATURATED_DISPATCHER -> dispatcherPauseNanos = TimeUnit.MILLISECONDS.toNanos(DISPATCHER_PAUSE_MILLIS);
            case LOCK_CONTENTION -> contended = true;
            case SOCKET_BACK_PRESSURE -> wirePauseNanos = TimeUnit.MICROSECONDS.toNanos(SLOW_WIRE_MICROS);
            case AERON_BACK_PRESSURE -> aeronPauseNanos = TimeUnit.MICROSECONDS.toNanos(SLOW_AERON_MICROS);
            case GC_PRESSURE -> {
                for (int i = 1; i < STORM_THREADS; i++) {
                    final Thread t = new Thread(Faults::allocationStorm, "allocation-storm-" + i);
                    t.setDaemon(true);
                    t.start();
                }
            }
        }
    }

    /** Called by a subscriber's consumer once per message, after its own work. */
    static void onSubscriberMessage(String subscriber) {
        final String slow = slowSubscriber;
        if (slow != null && slow.equals(subscriber)) {
            SimulatedWork.pause(TimeUnit.MICROSECONDS.toNanos(SLOW_SUBSCRIBER_MICROS));
        }
        if (contended) {
            synchronized (MONITOR) {
                SimulatedWork.spin(TimeUnit.MICROSECONDS.toNanos(CONTENDED_HOLD_MICROS));
            }
        }
    }

    /** Called by a dispatcher thread once per fan-out task, before delivering. */
    static void onFanOut() {
        final long pause = dispatcherPauseNanos;
        if (pause > 0) {
            SimulatedWork.pause(pause);
        }
    }

    /**
     * Ends the socket and Aeron back-pressure faults, when the producers stop: their slow reader would otherwise take
     * many seconds to drain the backlog it built, which makes a run long without measuring anything more.
     */
    static void endWireFaults() {
        wirePauseNanos = 0;
        aeronPauseNanos = 0;
    }

    /**
     * Whether a socket back-pressure fault is armed: the socket broadcasts then use small kernel socket buffers, as a
     * peer with a small receive window would, so that a slow reader reaches the sender's outbound buffer within a
     * second instead of after the megabytes Linux autotuning gives a loopback connection.
     */
    static boolean slowReaderPlanned() {
        return slowReaderPlanned;
    }

    /** Extra wait per frame of the first client of a socket broadcast: zero until a socket back-pressure fault. */
    static long wirePauseNanos() {
        return wirePauseNanos;
    }

    /** Extra wait per fragment of the Aeron stage's subscriber: zero until an Aeron back-pressure fault. */
    static long aeronPauseNanos() {
        return aeronPauseNanos;
    }

    /**
     * Checks that the fault can happen with this configuration: a wire fault needs its transport.
     *
     * @throws ArgumentException naming the fault and the transports it needs
     */
    static void check(Plan plan, BroadcasterConfig config) {
        if (plan.kind() == Kind.SOCKET_BACK_PRESSURE && !config.wire("tcp") && !config.wire("uds")) {
            throw new ArgumentException(
                    "--fault socket-back-pressure needs a socket transport: add --transport tcp," + " uds or all");
        }
        if (plan.kind() == Kind.AERON_BACK_PRESSURE && !config.wire("aeron")) {
            throw new ArgumentException(
                    "--fault aeron-back-pressure needs the Aeron stage: add --transport aeron or all");
        }
    }

    /** Allocates forever: short-lived garbage plus a live set whose members are replaced at random. */
    private static void allocationStorm() {
        final Object[] live = new Object[STORM_LIVE_OBJECTS];
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        long sink = 0;
        while (true) {
            final byte[] b = new byte[64 + random.nextInt(4032)];
            b[0] = (byte) sink;
            live[random.nextInt(live.length)] = b;
            sink += new long[16].length;
        }
    }
}
