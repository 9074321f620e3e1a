package io.hotpath.agent.alert;

import io.hotpath.agent.report.JsonWriter;
import io.hotpath.exporter.Severity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Alert ids, acknowledgement and escalation. Every alert sent gets an id (1, 2, ... per run). An operator acknowledges
 * an alert by id (HTTP, JMX); from then on its key is not sent again until its finding recovers (or overall health is
 * healthy again), and it never escalates. A critical alert still unacknowledged {@code hotpath.alerts.escalate.after}
 * after it was sent re-fires to the next channel of {@code hotpath.alerts.channels} (the second channel at level 1,
 * the third at level 2, ...), every that long again, until it is acknowledged, its finding recovers, or the list runs
 * out; the earlier systems escalated an unacknowledged alert to the next tier the same way.
 *
 * <p>Written by the alerter on the analyzer's thread and by operators on theirs: every method is synchronized, and
 * none is called by an application thread. Bounded: the newest {@value #KEPT} alerts are kept.
 */
public final class AlertAcks {
    static final int KEPT = 100;

    /** One alert's state. */
    private static final class Entry {
        final long id;
        final Alert alert;
        boolean acknowledged;
        String by;
        long ackMillis;
        int escalations;
        long nextEscalationMillis;

        Entry(long id, Alert alert) {
            this.id = id;
            this.alert = alert;
        }
    }

    /**
     * An escalation due now.
     *
     * @param alert the alert to send, already marked as escalated
     * @param level 1 for the first escalation: the channel at that index receives it
     */
    public record Escalation(Alert alert, int level) {}

    /** Changeable at run time ({@link #escalateAfter}); read under this object's lock. */
    private long escalateAfterMillis;

    private final Map<Long, Entry> byId = new LinkedHashMap<>();
    private final Map<Alert, Entry> byAlert = new IdentityHashMap<>();
    /** Keys acknowledged and not yet recovered: not sent again. */
    private final Set<String> acknowledgedKeys = new HashSet<>();

    private long nextId = 1;
    private long suppressed;

    /** @param escalateAfterMillis 0: no escalation */
    public AlertAcks(long escalateAfterMillis) {
        this.escalateAfterMillis = escalateAfterMillis;
    }

    /**
     * Whether {@code a} is held back because its key was acknowledged; a recovery (or healthy-again notice) clears the
     * acknowledgement of its finding's keys and is never held back.
     */
    synchronized boolean suppressed(Alert a) {
        if (a.type().equals("recovery") || a.key().equals("health:healthy")) {
            final String prefix = a.type().equals("recovery") ? findingKey(a.key()) + ":" : "health:";
            acknowledgedKeys.removeIf(k -> k.startsWith(prefix));
            return false;
        }
        if (acknowledgedKeys.contains(a.key())) {
            suppressed++;
            return true;
        }
        return false;
    }

    /** A finding's key from an alert key {@code <finding key>:<severity or recovered>}. */
    private static String findingKey(String alertKey) {
        final int colon = alertKey.lastIndexOf(':');
        return colon < 0 ? alertKey : alertKey.substring(0, colon);
    }

    /** Registers an alert just sent; returns its id. */
    synchronized long sent(Alert a) {
        final Entry e = new Entry(nextId++, a);
        e.nextEscalationMillis = a.epochMillis() + escalateAfterMillis;
        byId.put(e.id, e);
        byAlert.put(a, e);
        if (byId.size() > KEPT) {
            final Iterator<Entry> oldest = byId.values().iterator();
            byAlert.remove(oldest.next().alert);
            oldest.remove();
        }
        if (a.type().equals("recovery")) {
            // A recovery ends its finding's escalation.
            final String prefix = findingKey(a.key()) + ":";
            for (Entry other : byId.values()) {
                if (other.alert.key().startsWith(prefix)) {
                    other.nextEscalationMillis = Long.MAX_VALUE;
                }
            }
        }
        return e.id;
    }

    /**
     * Acknowledges alert {@code id}. Returns null when done (or already done), else one line saying why not.
     *
     * @param by who: {@code http} or {@code jmx}
     */
    public synchronized String acknowledge(long id, String by, long nowMillis) {
        final Entry e = byId.get(id);
        if (e == null) {
            return "no alert with id " + id + "; ids are listed in /api/alerts (the newest " + KEPT + " are kept)";
        }
        if (!e.acknowledged) {
            e.acknowledged = true;
            e.by = by;
            e.ackMillis = nowMillis;
            if (!e.alert.type().equals("recovery")) {
                acknowledgedKeys.add(e.alert.key());
            }
        }
        return null;
    }

    /**
     * Changes {@code hotpath.alerts.escalate.after} at run time (0: no escalation): an alert not yet escalated as far
     * as it can go is due that long (per level) after it was sent, or at the next tick if that is past.
     */
    public synchronized void escalateAfter(long millis) {
        for (Entry e : byId.values()) {
            if (e.nextEscalationMillis != Long.MAX_VALUE) {
                e.nextEscalationMillis = e.alert.epochMillis() + millis * (e.escalations + 1);
            }
        }
        escalateAfterMillis = millis;
    }

    /**
     * The escalations due at {@code nowMillis}, given {@code channels} channels: at most {@code max} of them, and only
     * those whose alert {@code ready} accepts (the rest stay due); marks those returned done.
     */
    synchronized List<Escalation> due(
            long nowMillis, int channels, int max, java.util.function.Predicate<Alert> ready) {
        if (escalateAfterMillis <= 0 || max <= 0) {
            return List.of();
        }
        List<Escalation> out = null;
        for (Entry e : byId.values()) {
            if (out != null && out.size() >= max) {
                break;
            }
            if (e.acknowledged
                    || e.alert.severity() != Severity.CRITICAL
                    || e.alert.type().equals("recovery")
                    || e.escalations + 1 >= channels
                    || nowMillis < e.nextEscalationMillis
                    || !ready.test(e.alert)) {
                continue;
            }
            e.escalations++;
            e.nextEscalationMillis = nowMillis + escalateAfterMillis;
            final Alert a = e.alert;
            final Alert escalated = new Alert(
                    a.key(),
                    a.type(),
                    a.severity(),
                    a.kind(),
                    a.probe(),
                    "escalated (level " + e.escalations + ", alert " + e.id + " not acknowledged after "
                            + (escalateAfterMillis * e.escalations / 1000) + " s): " + a.message(),
                    a.recommendation(),
                    a.health(),
                    a.evidence(),
                    nowMillis);
            if (out == null) {
                out = new ArrayList<>();
            }
            out.add(new Escalation(escalated, e.escalations));
        }
        return out == null ? List.of() : out;
    }

    /** Alerts held back because their key was acknowledged. */
    public synchronized long suppressed() {
        return suppressed;
    }

    /** The id of a sent alert, or 0 when it is no longer kept. */
    public synchronized long id(Alert a) {
        final Entry e = byAlert.get(a);
        return e == null ? 0 : e.id;
    }

    /** Whether alert {@code id} is kept. */
    public synchronized boolean known(long id) {
        return byId.containsKey(id);
    }

    /** Writes {@code a}'s id, acknowledgement and escalations as members of the alert object being written. */
    public synchronized void write(JsonWriter w, Alert a) {
        final Entry e = byAlert.get(a);
        if (e == null) {
            return;
        }
        w.name("id").value(e.id);
        w.name("acknowledged").value(e.acknowledged);
        w.name("acknowledged_by").value(e.by);
        w.name("acknowledged_ms").value(e.ackMillis);
        w.name("escalations").value(e.escalations);
    }
}
