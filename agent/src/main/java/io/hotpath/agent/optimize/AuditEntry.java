package io.hotpath.agent.optimize;

import io.hotpath.agent.optimize.whatif.Outcome;

/**
 * One line of the optimizer's audit trail.
 *
 * @param epochMillis wall-clock time
 * @param action what happened: {@code recommend}, {@code change}, {@code rollback}, {@code accept}, {@code freeze},
 *     {@code retry}, {@code restore}, {@code reject}
 * @param tunable the tunable's name
 * @param from value before (booleans 0/1), or null when unknown
 * @param to value after, or null
 * @param mode the optimizer mode in force ({@code advise}, {@code apply}, {@code test})
 * @param reason why, in words and numbers
 * @param whatIf the estimate of a change or recommendation, and on the verdict that ends its evaluation ({@code
 *     accept}, {@code rollback}) the estimate with what was observed; null when there is none
 */
public record AuditEntry(
        long epochMillis,
        String action,
        String tunable,
        Long from,
        Long to,
        String mode,
        String reason,
        Outcome whatIf) {
    /** An entry without an estimate. */
    public AuditEntry(long epochMillis, String action, String tunable, Long from, Long to, String mode, String reason) {
        this(epochMillis, action, tunable, from, to, mode, reason, null);
    }

    /** The log line: {@code optimizer change batch 8 -> 16 (apply): throughput +23% ...}. */
    public String line() {
        final StringBuilder b =
                new StringBuilder("optimizer ").append(action).append(' ').append(tunable);
        if (from != null || to != null) {
            b.append(' ').append(from == null ? "?" : from).append(" -> ").append(to == null ? "?" : to);
        }
        b.append(" (").append(mode).append(')');
        if (reason != null && !reason.isEmpty()) {
            b.append(": ").append(reason);
        }
        if (whatIf != null) {
            b.append("; ").append(whatIf.words());
        }
        return b.toString();
    }
}
