package io.hotpath.agent.tools;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.report.JsonWriter;
import io.hotpath.bootstrap.Probe;
import io.hotpath.bootstrap.Probes;
import io.hotpath.bootstrap.Slot;
import io.hotpath.bootstrap.Trace;
import io.hotpath.bootstrap.ipc.AgentThreads;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one trace at a time ({@link Trace}) and writes it, as it fills, to a JSON-lines file under the configured
 * directory: a first line naming the probe and the bounds, one line per event, a last line saying why it ended and how
 * many events were kept. The writer is a daemon thread of the agent's group that lives as long as the trace; the
 * application's threads only fill the trace's arrays. The newest entries of the latest trace are kept (a few dozen)
 * for a probe's inspection.
 */
public final class Tracer {
    /** Entries of the latest trace kept for {@link #lastOutcomes}. */
    static final int KEPT = 32;

    /** How often the writer looks for new entries. */
    private static final long POLL_NANOS = 50_000_000L;

    /** How long an ended trace waits for entries claimed just before the end to be published. */
    private static final long GRACE_NANOS = 100_000_000L;

    private static volatile Tracer current;

    private final Path dir;
    private final Duration defaultDuration;
    private final int defaultMax;
    private final AtomicInteger files = new AtomicInteger();

    /** The running trace's state, or null; guarded by this. */
    private Running running;

    /** The latest trace's probe and newest entries (oldest first); guarded by {@link #recent}. */
    private final ArrayDeque<Outcome> recent = new ArrayDeque<>();

    private Probe recentProbe;
    private String lastFile;
    private String lastEnd;

    /**
     * One event of a trace, as inspection shows it.
     *
     * @param epochMillis when, in epoch milliseconds
     * @param thread the calling thread's name
     * @param outcome the counter it counted in ({@code in}, {@code out}, {@code dropped}, ...)
     * @param amount how much it added (1 for one message, the bytes of a write)
     */
    public record Outcome(double epochMillis, String thread, String outcome, long amount) {}

    /** A started trace, as the operator surfaces report it. */
    public record Started(String probe, Path file, Duration duration, int max) {}

    private record Running(Trace trace, Path file, long deadlineNanos, Thread writer) {}

    /**
     * @param dir where trace files go
     * @param defaultDuration a trace's length when none is asked for
     * @param defaultMax a trace's bound when none is asked for
     */
    public Tracer(Path dir, Duration defaultDuration, int defaultMax) {
        this.dir = dir;
        this.defaultDuration = defaultDuration;
        this.defaultMax = defaultMax;
    }

    /** Makes {@code t} the agent's tracer; returns it. */
    public static Tracer install(Tracer t) {
        current = t;
        return t;
    }

    /** The agent's tracer, or null before the agent started. */
    public static Tracer current() {
        return current;
    }

    /** A trace's length when none is asked for. */
    public Duration defaultDuration() {
        return defaultDuration;
    }

    /** A trace's bound when none is asked for. */
    public int defaultMax() {
        return defaultMax;
    }

    /** Thrown when a trace cannot start now (one is running); the message is one line. */
    public static final class Busy extends Exception {
        private static final long serialVersionUID = 1L;

        Busy(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Starts tracing {@code probe} for at most {@code duration} and {@code max} events.
     *
     * @throws Busy when a trace is running
     * @throws IOException when the file cannot be created
     */
    public synchronized Started start(Probe probe, Duration duration, int max) throws Busy, IOException {
        if (running != null) {
            throw new Busy("a trace of " + running.trace().probe().name() + " is running until it ends ("
                    + running.file() + "); one trace runs at a time");
        }
        Files.createDirectories(dir);
        final Path file = dir.resolve(
                "hotpath-trace-" + ProcessHandle.current().pid() + "-" + files.incrementAndGet() + ".jsonl");
        final BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        final Trace trace = Trace.start(probe, max);
        if (trace == null) {
            out.close();
            throw new Busy("another trace is running; one trace runs at a time");
        }
        final long deadline = System.nanoTime() + duration.toNanos();
        final Thread writer =
                AgentThreads.newThread(() -> write(trace, out, file, deadline, duration), "hotpath-trace-writer");
        running = new Running(trace, file, deadline, writer);
        synchronized (recent) {
            recent.clear();
            recentProbe = probe;
            lastFile = file.toString();
            lastEnd = null;
        }
        writer.start();
        AgentLog.info("trace of " + probe.name() + " started: at most " + max + " events for "
                + io.hotpath.agent.config.Parsers.format(duration) + ", written to " + file);
        return new Started(probe.name(), file, duration, max);
    }

    /**
     * Starts the trace asked for at start ({@code hotpath.trace.probe}) once its probe is registered, waiting for it
     * at most the trace's duration, on a daemon thread of its own.
     */
    public void startWhenRegistered(String probeName) {
        final Thread waiter = AgentThreads.newThread(
                () -> {
                    final long end = System.nanoTime() + defaultDuration.toNanos();
                    while (System.nanoTime() < end) {
                        final Probe p = probeNamed(probeName);
                        if (p != null) {
                            try {
                                start(p, defaultDuration, defaultMax);
                            } catch (Busy | IOException | RuntimeException e) {
                                AgentLog.warn("hotpath.trace.probe=" + probeName + ": the trace did not start: " + e);
                            }
                            return;
                        }
                        LockSupport.parkNanos(POLL_NANOS * 2);
                    }
                    AgentLog.warn("hotpath.trace.probe=" + probeName + ": no probe of that name appeared within "
                            + io.hotpath.agent.config.Parsers.format(defaultDuration) + "; no trace was taken");
                },
                "hotpath-trace-start");
        waiter.start();
    }

    /** The probe named {@code name}, or null. */
    public static Probe probeNamed(String name) {
        final Probe[] found = {null};
        Probes.forEach(p -> {
            if (found[0] == null && p.name().equals(name)) {
                found[0] = p;
            }
        });
        return found[0];
    }

    /** Whether {@code p} is being traced now. */
    public synchronized boolean tracing(Probe p) {
        return running != null && running.trace().probe() == p;
    }

    /** The file of the latest trace of {@code p} and how it ended (null while running), or null for none. */
    public String[] lastTraceOf(Probe p) {
        synchronized (recent) {
            return recentProbe == p ? new String[] {lastFile, lastEnd} : null;
        }
    }

    /** The newest entries (at most {@value #KEPT}) of the latest trace of {@code p}, oldest first; empty for none. */
    public List<Outcome> lastOutcomes(Probe p) {
        synchronized (recent) {
            return recentProbe == p ? List.copyOf(recent) : List.of();
        }
    }

    /** The writer thread's work: drain, write, end at the deadline or the bound, close. Never throws. */
    private void write(Trace trace, BufferedWriter out, Path file, long deadline, Duration duration) {
        int next = 0;
        String end = "duration";
        final StringBuilder line = new StringBuilder(160);
        final int[] written = {0};
        try (out) {
            line.setLength(0);
            new JsonWriter(line)
                    .beginObject()
                    .name("trace")
                    .value(trace.probe().name())
                    .name("kind")
                    .value(trace.probe().kind().label())
                    .name("max")
                    .value(trace.max())
                    .name("duration_s")
                    .value(duration.toMillis() / 1000.0, 3)
                    .name("started_ms")
                    .value(System.currentTimeMillis())
                    .endObject();
            out.write(line.append('\n').toString());
            final Trace.Reader reader = (i, nanos, thread, slot, amount) -> {
                line.setLength(0);
                final String name = thread.getName();
                final String outcome = Slot.name(slot);
                new JsonWriter(line)
                        .beginObject()
                        .name("i")
                        .value(i)
                        .name("time_ms")
                        .value(trace.epochMillis(nanos), 3)
                        .name("nanos")
                        .value(nanos)
                        .name("thread")
                        .value(name)
                        .name("outcome")
                        .value(outcome)
                        .name("amount")
                        .value(amount)
                        .endObject();
                try {
                    out.write(line.append('\n').toString());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                written[0]++;
                keep(new Outcome(trace.epochMillis(nanos), name, outcome, amount));
            };
            while (true) {
                next = trace.drain(next, reader);
                if (next >= trace.max()) {
                    end = "max";
                    break;
                }
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
                if (stopAsked(trace)) {
                    end = "stopped";
                    break;
                }
                out.flush();
                LockSupport.parkNanos(POLL_NANOS);
            }
            trace.stop();
            // Entries claimed just before the end may still be being written: give them a moment.
            final long grace = System.nanoTime() + GRACE_NANOS;
            while (next < Math.min(trace.claimed(), trace.max()) && System.nanoTime() - grace < 0) {
                LockSupport.parkNanos(POLL_NANOS / 10);
                next = trace.drain(next, reader);
            }
            line.setLength(0);
            new JsonWriter(line)
                    .beginObject()
                    .name("end")
                    .value(end)
                    .name("entries")
                    .value(written[0])
                    .name("events")
                    .value(trace.claimed())
                    .name("not_kept")
                    .value(Math.max(0L, trace.claimed() - written[0]))
                    .endObject();
            out.write(line.append('\n').toString());
        } catch (IOException | RuntimeException e) {
            end = "failed: " + e;
            AgentLog.warn("trace of " + trace.probe().name() + " could not be written to " + file + ": " + e);
        } finally {
            trace.stop();
            synchronized (this) {
                running = null;
            }
            synchronized (recent) {
                if (recentProbe == trace.probe()) {
                    lastEnd = end;
                }
            }
        }
        AgentLog.info("trace of " + trace.probe().name() + " ended (" + end + "): " + written[0] + " of "
                + trace.claimed() + " events written to " + file);
    }

    private void keep(Outcome o) {
        synchronized (recent) {
            if (recent.size() == KEPT) {
                recent.removeFirst();
            }
            recent.addLast(o);
        }
    }

    /** Set by {@link #stop}; read by the writer. */
    private volatile Trace stopAsked;

    private boolean stopAsked(Trace t) {
        return stopAsked == t;
    }

    /**
     * Ends the running trace early; its file gets what was kept and an end line saying {@code stopped}.
     *
     * @return the probe name of the trace ended, or null when none was running
     */
    public synchronized String stop() {
        if (running == null) {
            return null;
        }
        stopAsked = running.trace();
        LockSupport.unpark(running.writer());
        return running.trace().probe().name();
    }

    /** The running trace's probe name and file, or null. */
    public synchronized String[] runningTrace() {
        return running == null
                ? null
                : new String[] {running.trace().probe().name(), running.file().toString()};
    }

    /** Waits (for tests) until no trace runs, at most {@code timeout}; whether none runs. */
    public boolean awaitIdle(Duration timeout) {
        final long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - end < 0) {
            synchronized (this) {
                if (running == null) {
                    return true;
                }
            }
            LockSupport.parkNanos(10_000_000L);
        }
        return false;
    }
}
