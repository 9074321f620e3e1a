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
 */
public record AlertsView(
        List<Alert> recent, long sent, long suppressedCooldown, long suppressedRateLimit, long failed) {
    /** Copies the list. */
    public AlertsView {
        recent = List.copyOf(recent);
    }
}
