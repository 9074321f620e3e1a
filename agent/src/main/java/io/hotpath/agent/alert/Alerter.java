package io.hotpath.agent.alert;

import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.analyze.Incident;
import io.hotpath.agent.analyze.finding.Finding;
import io.hotpath.agent.analyze.health.HealthState;
import io.hotpath.agent.config.Config;
import io.hotpath.agent.config.Settings;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.exporter.Severity;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Raises alerts from the analyzer's findings and health, without spamming:
 *
 * <ul>
 *   <li>one alert per incident (docs/analyzer.md, "Incidents"): its root finding raises one alert when the incident
 *       reaches {@code alerts.min-severity}, with the chain of consequences in its message, and one more if the
 *       incident escalates (warning to critical; the incident's severity is the highest of its findings); findings
 *       linked to a root cause raise none, their root speaks for them;
 *   <li>a finding that was alerted raises one recovery notice (info) when it is resolved;
 *   <li>overall health raises an alert when it enters a worse band (degraded: warning, unhealthy: critical) and a
 *       recovery notice when it is healthy again after such an alert;
 *   <li>an alert key ({@code <kind>:<probe>:<severity>}, {@code ...:recovered}, {@code health:<state>}) is not raised
 *       again within {@code alerts.cooldown} (default 5 min), and at most {@code alerts.rate-limit} alerts (default
 *       10) go out in any minute; the others are counted as suppressed.
 * </ul>
 *
 * Runs on the analyzer's thread, once per tick; channels never block it.
 */
public final class Alerter {
    /** Alerts kept for the outputs. */
    static final int RECENT_MAX = 20;

    private static final long MINUTE_MILLIS = 60_000;

    // Changeable at run time (reconfigure): written by an operator's thread, read by the loop's thread.
    private volatile Severity minSeverity;
    private volatile long cooldownMillis;
    private volatile int perMinute;
    private final List<AlertChannel> channels;

    private final Map<String, Long> lastSent = new HashMap<>();
    private final ArrayDeque<Long> sentTimes = new ArrayDeque<>();
    /** Severity alerted per finding (its key and when it was first seen: a finding that comes back is a new one). */
    private final Map<FindingId, Severity> alerted = new HashMap<>();
    /** The findings of the current tick that {@link #alerted} may hold; reused every tick. */
    private final Set<FindingId> present = new HashSet<>();
    /** Whether anything the view shows changed since it was last built; the view is rebuilt only then. */
    private boolean viewStale = true;

    private long lastFailed;
    private final ArrayDeque<Alert> recent = new ArrayDeque<>();
    private HealthState healthState = HealthState.HEALTHY;
    private boolean healthAlerted;
    private long sent;
    private long suppressedCooldown;
    private long suppressedRateLimit;
    private volatile AlertsView view = new AlertsView(List.of(), 0, 0, 0, 0);
    /** Ids, acknowledgement, escalation; replaced only before the first tick. */
    private volatile AlertAcks acks = new AlertAcks(0);

    /** Builds the alerter from {@code hotpath.alerts.*}; null when alerts are off. */
    public static Alerter create(Config config) {
        if (!config.get(Settings.ALERTS_ENABLED)) {
            return null;
        }
        final List<AlertChannel> channels = new ArrayList<>();
        for (String name : config.get(Settings.ALERTS_CHANNELS)) {
            switch (name) {
                case "log" -> channels.add(new LogAlertChannel());
                case "otlp" -> channels.add(new OtlpAlertChannel());
                case "webhook" ->
                    config.get(Settings.ALERTS_WEBHOOK_URL).ifPresent(url -> {
                        try {
                            channels.add(new WebhookAlertChannel(
                                    url,
                                    config.get(Settings.ALERTS_WEBHOOK_TIMEOUT),
                                    config.get(Settings.ALERTS_WEBHOOK_RETRIES),
                                    config.get(Settings.ALERTS_WEBHOOK_QUEUE)));
                        } catch (IllegalArgumentException e) {
                            AgentLog.warn("hotpath.alerts.webhook.url=" + RedactedUrl.of(url) + " is not usable ("
                                    + e.getMessage() + "); alerts go to the other channels");
                        }
                    });
                default -> throw new IllegalStateException(name);
            }
        }
        return new Alerter(
                        config.get(Settings.ALERTS_MIN_SEVERITY),
                        config.get(Settings.ALERTS_COOLDOWN),
                        config.get(Settings.ALERTS_RATE_LIMIT),
                        channels)
                .escalateAfter(config.get(Settings.ALERTS_ESCALATE_AFTER).orElse(Duration.ZERO));
    }

    public Alerter(Severity minSeverity, Duration cooldown, int perMinute, List<AlertChannel> channels) {
        this.minSeverity = minSeverity;
        this.cooldownMillis = cooldown.toMillis();
        this.perMinute = perMinute;
        this.channels = List.copyOf(channels);
    }

    /** One tick: compares the view with what was alerted so far and sends what is new. */
    public void onAnalysis(AnalysisView v) {
        final long now = v.epochMillis();
        // Every tick sees every finding, but few of them ever alert: while none is alerted, a finding that cannot
        // alert now needs no bookkeeping at all.
        present.clear();
        final Map<String, Incident> incidents = incidentsByRoot(v);
        for (Finding f : v.findings()) {
            final Incident incident = f.active() && f.root() == null ? incidents.get(f.key()) : null;
            if (incident != null && !incident.key().equals("incident:" + f.key())) {
                continue; // a consequence that outlived its root carries that incident on: it was alerted then
            }
            // An incident speaks with the highest severity among its findings: one alert per incident.
            final Severity severity = incident == null ? f.severity() : Severity.max(f.severity(), incident.severity());
            if (alerted.isEmpty() && !(f.active() && f.root() == null && severity.compareTo(minSeverity) >= 0)) {
                continue;
            }
            final FindingId id = new FindingId(f.key(), f.firstSeenMillis());
            present.add(id);
            final Severity before = alerted.get(id);
            if (f.active()) {
                if (f.root() == null
                        && severity.compareTo(minSeverity) >= 0
                        && (before == null || severity.compareTo(before) > 0)) {
                    alerted.put(id, severity);
                    final String links =
                            incident != null && !incident.consequences().isEmpty()
                                    ? " (incident: " + incident.chain() + ")"
                                    : f.linked().isEmpty() ? "" : " (explains " + String.join(", ", f.linked()) + ")";
                    dispatch(new Alert(
                            f.key() + ":" + severity.label(),
                            "finding",
                            severity,
                            f.kind().label(),
                            f.probe(),
                            f.message() + links,
                            f.recommendation(),
                            v.health(),
                            f.evidence(),
                            now));
                }
            } else if (before != null) {
                alerted.remove(id);
                dispatch(new Alert(
                        f.key() + ":recovered",
                        "recovery",
                        Severity.INFO,
                        f.kind().label(),
                        f.probe(),
                        "resolved: " + f.message(),
                        "",
                        v.health(),
                        Map.of(),
                        now));
            }
        }
        if (!alerted.isEmpty()) {
            alerted.keySet().retainAll(present);
        }
        health(v, now);
        escalate(now);
        prune(now);
        final long failed = failed();
        if (viewStale || failed != lastFailed) {
            viewStale = false;
            lastFailed = failed;
            view = new AlertsView(List.copyOf(recent), sent, suppressedCooldown, suppressedRateLimit, failed, acks);
        }
    }

    /** The active incidents of the view by the key of their root finding. */
    private static Map<String, Incident> incidentsByRoot(AnalysisView v) {
        if (v.incidents().isEmpty()) {
            return Map.of();
        }
        final Map<String, Incident> out = new HashMap<>();
        for (Incident i : v.incidents()) {
            if (i.active()) {
                out.put(i.root(), i);
            }
        }
        return out;
    }

    /** Identifies one finding across ticks; equality and hash written out, see {@code FindingTracker.TrackKey}. */
    private record FindingId(String key, long firstSeenMillis) {
        @Override
        public boolean equals(Object o) {
            return o instanceof FindingId f && f.firstSeenMillis == firstSeenMillis && f.key.equals(key);
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Long.hashCode(firstSeenMillis);
        }
    }

    private void health(AnalysisView v, long now) {
        final HealthState state = v.state();
        if (state == healthState) {
            return;
        }
        final boolean worse = state.ordinal() > healthState.ordinal();
        healthState = state;
        final Severity severity =
                switch (state) {
                    case HEALTHY -> Severity.INFO;
                    case DEGRADED -> Severity.WARNING;
                    case UNHEALTHY -> Severity.CRITICAL;
                };
        if (worse && severity.compareTo(minSeverity) < 0) {
            return;
        }
        if (!worse && !healthAlerted) {
            return;
        }
        healthAlerted = state != HealthState.HEALTHY;
        dispatch(new Alert(
                "health:" + state.label(),
                "health",
                severity,
                "health",
                "",
                "overall health " + io.hotpath.agent.report.Units.fixed(v.health(), 2) + ": " + state.label(),
                "",
                v.health(),
                Map.of("health", v.health()),
                now));
    }

    private void dispatch(Alert a) {
        viewStale = true; // sent or suppressed, a count changes
        if (acks.suppressed(a)) {
            return;
        }
        final long now = a.epochMillis();
        if (inCooldown(a.key(), now)) {
            suppressedCooldown++;
            return;
        }
        if (roomThisMinute(now) <= 0) {
            suppressedRateLimit++;
            // The limit doing its job is not a fault: one info line, then the dump counts them.
            AgentLog.once(
                    AgentLog.Level.INFO,
                    "alerts:rate-limit",
                    "more than hotpath.alerts.rate-limit=" + perMinute + " alerts in a minute; the rest are counted,"
                            + " not sent (see the dump's alerts section)");
            return;
        }
        markSent(a.key(), now);
        sent++;
        recent.addFirst(a);
        acks.sent(a);
        while (recent.size() > RECENT_MAX) {
            recent.removeLast();
        }
        for (AlertChannel c : channels) {
            try {
                c.send(a);
            } catch (RuntimeException e) {
                AgentLog.once(AgentLog.Level.WARN, "alerts:" + c.name(), "alert channel " + c.name() + " failed: " + e);
            }
        }
    }

    /** Forgets cooldowns that have run out, so the map stays as small as the alerts of the last cooldown. */
    private void prune(long now) {
        if (lastSent.isEmpty()) {
            return; // the usual tick: no alert within the cooldown, and no iterator for nothing
        }
        for (Iterator<Map.Entry<String, Long>> it = lastSent.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue() >= cooldownMillis) {
                it.remove();
            }
        }
    }

    /** Read every tick: indexed, so that the interpreted and profiled code of the first minutes makes no iterator. */
    private long failed() {
        long n = 0;
        for (int i = 0, size = channels.size(); i < size; i++) {
            n += channels.get(i).failed();
        }
        return n;
    }

    /**
     * Escalates unacknowledged critical alerts ({@link AlertAcks}): each due one goes to the channel at its level's
     * index only. An escalation is its alert raised again, so it obeys the limits every alert does: it waits while its
     * key is in its cooldown (since the alert or its last escalation) and while the rate limit's budget for the minute
     * is spent, and goes out at the first tick after both allow it; it is delayed, never dropped.
     */
    private void escalate(long now) {
        if (channels.size() < 2) {
            return; // an escalation goes to the next channel: with one there is none to go to, whatever is due
        }
        final int room = roomThisMinute(now);
        if (room <= 0) {
            return;
        }
        for (AlertAcks.Escalation e : acks.due(now, channels.size(), room, a -> !inCooldown(a.key(), now))) {
            viewStale = true;
            markSent(e.alert().key(), now);
            final AlertChannel c = channels.get(e.level());
            try {
                c.send(e.alert());
            } catch (RuntimeException ex) {
                AgentLog.once(
                        AgentLog.Level.WARN, "alerts:" + c.name(), "alert channel " + c.name() + " failed: " + ex);
            }
        }
    }

    /**
     * Escalates unacknowledged critical alerts after {@code after} ({@code hotpath.alerts.escalate.after}); zero: never.
     * Call before the first tick.
     */
    public Alerter escalateAfter(Duration after) {
        acks = new AlertAcks(after.toMillis());
        return this;
    }

    /** Whether an alert with {@code key} went out less than the cooldown before {@code now}. */
    private boolean inCooldown(String key, long now) {
        final Long last = lastSent.get(key);
        return last != null && now - last < cooldownMillis;
    }

    /** How many more alerts the rate limit lets out in the minute up to {@code now} (sends older than that dropped). */
    private int roomThisMinute(long now) {
        while (!sentTimes.isEmpty() && now - sentTimes.peekFirst() >= MINUTE_MILLIS) {
            sentTimes.pollFirst();
        }
        return perMinute - sentTimes.size();
    }

    private void markSent(String key, long now) {
        sentTimes.addLast(now);
        lastSent.put(key, now);
    }

    /**
     * Closes every channel (their threads end); call once, when the agent stops, after the last
     * {@link #onAnalysis}.
     */
    public void close(Duration timeout) {
        for (AlertChannel c : channels) {
            try {
                c.close(timeout);
            } catch (RuntimeException e) {
                AgentLog.once(
                        AgentLog.Level.WARN,
                        "alerts:close:" + c.name(),
                        "alert channel " + c.name() + " close failed: " + e);
            }
        }
    }

    /**
     * Changes the minimum severity, cooldown and rate limit at run time; each takes effect at the next tick (a cooldown
     * already running is measured against the new length).
     */
    public void reconfigure(Severity minSeverity, Duration cooldown, int perMinute) {
        this.minSeverity = minSeverity;
        this.cooldownMillis = cooldown.toMillis();
        this.perMinute = perMinute;
    }

    /** Alert ids, acknowledgement and escalation; thread-safe. */
    public AlertAcks acks() {
        return acks;
    }

    /** The latest alerts and counts; readable from any thread. */
    public AlertsView view() {
        return view;
    }
}
