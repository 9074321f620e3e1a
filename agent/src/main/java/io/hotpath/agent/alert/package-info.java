/**
 * Alerts from the analyzer's findings and health: {@link io.hotpath.agent.alert.Alerter} decides when a finding or a
 * health change raises an {@link io.hotpath.agent.alert.Alert} (cooldown per key, rate limit, minimum severity) and
 * routes it to the channels named in {@code hotpath.alerts.channels}: the agent's log, an OTLP log event, a webhook.
 */
package io.hotpath.agent.alert;
