package io.hotpath.agent.alert;

import java.util.List;

/**
 * The alerter's state for the outputs: the latest alerts and the counts.
 *
 * @param recent the latest alerts sent, newest first (at most {@link Alerter#RECENT_MAX})
 * @param sent alerts sent since start
 * @param suppressedCooldown alerts not sent because their key was in its cooldown
 * @param suppressedRateLimit alerts not sent because the per-minute limit was reached
 * @param failed alerts a channel could not deliver
 * @param acks the alerts' ids, acknowledgement and escalation (live, thread-safe), or null
 */
public record AlertsView(
        List<Alert> recent, long sent, long suppressedCooldown, long suppressedRateLimit, long failed, AlertAcks acks) {
    /** A view without acknowledgement state. */
    public AlertsView(List<Alert> recent, long sent, long suppressedCooldown, long suppressedRateLimit, long failed) {
        this(recent, sent, suppressedCooldown, suppressedRateLimit, failed, null);
    }

    /** Copies the list. */
    public AlertsView {
        recent = List.copyOf(recent);
    }
}
