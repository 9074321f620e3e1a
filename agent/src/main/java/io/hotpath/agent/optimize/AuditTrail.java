package io.hotpath.agent.optimize;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.optimize.whatif.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Every recommendation, change and rollback: logged as one line, kept (the newest {@link #CAPACITY}) for the JSON
 * dump, and handed to sinks; the exporter adds one to send each entry as an OTLP log event.
 */
public final class AuditTrail {
    /** Entries kept for the dump. */
    public static final int CAPACITY = 1000;

    private final ArrayDeque<AuditEntry> entries = new ArrayDeque<>();
    private final List<Consumer<AuditEntry>> sinks = new CopyOnWriteArrayList<>();
    private final LongSupplier clock;
    private final boolean log;
    private long total;

    /** A trail on the wall clock that logs. */
    public AuditTrail() {
        this(System::currentTimeMillis, true);
    }

    /** A trail with its own clock; {@code log} false keeps tests quiet. */
    public AuditTrail(LongSupplier epochMillis, boolean log) {
        this.clock = epochMillis;
        this.log = log;
    }

    /** Adds a sink, e.g. the OTLP log-event exporter. A sink that throws is dropped after logging once. */
    void addSink(Consumer<AuditEntry> sink) {
        sinks.add(sink);
    }

    /** Records one entry. */
    public AuditEntry record(String action, String tunable, Long from, Long to, String mode, String reason) {
        return record(action, tunable, from, to, mode, reason, null);
    }

    /** Records one entry with the what-if estimate (and outcome) of the change it is about. */
    public AuditEntry record(
            String action, String tunable, Long from, Long to, String mode, String reason, Outcome whatIf) {
        final AuditEntry e = new AuditEntry(clock.getAsLong(), action, tunable, from, to, mode, reason, whatIf);
        synchronized (this) {
            if (entries.size() == CAPACITY) {
                entries.removeFirst();
            }
            entries.addLast(e);
            total++;
        }
        if (log) {
            AgentLog.info(e.line());
        }
        for (Consumer<AuditEntry> sink : sinks) {
            try {
                sink.accept(e);
            } catch (RuntimeException ex) {
                sinks.remove(sink);
                AgentLog.warn("optimizer audit sink dropped after it failed: " + ex);
            }
        }
        return e;
    }

    /** The kept entries, oldest first. */
    public synchronized List<AuditEntry> entries() {
        return new ArrayList<>(entries);
    }

    /** All entries ever recorded, kept or not. */
    public synchronized long total() {
        return total;
    }
}
