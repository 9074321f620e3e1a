package io.hotpath.agent.config;

/**
 * The agent's overhead budget ({@code hotpath.overhead.budget}): how much CPU its own threads may use, in cores, and
 * how much of the application's CPU its recording may take, as a share. Either may be unlimited.
 *
 * @param backgroundCores the agent's threads' CPU over a second, in cores (0.01 = 1 % of one core);
 *     {@link Double#POSITIVE_INFINITY} for no limit
 * @param recordingShare estimated recording time over a second as a share of the application's CPU time (0.01 = 1 %);
 *     {@link Double#POSITIVE_INFINITY} for no limit
 * @param afterNanos how long after start the budget starts being kept (start-up has targets of its own)
 */
public record OverheadLimits(double backgroundCores, double recordingShare, long afterNanos) {
    /** Start-up is not held to the budget unless the budget says otherwise. */
    static final java.time.Duration DEFAULT_AFTER = java.time.Duration.ofSeconds(10);

    /** What the parser accepts, for error messages and docs/configuration.md. */
    static final String ALLOWED =
            "off, or background=<share of one core>;recording=<share of the application's CPU>, each from 0.01% to"
                    + " 100%, and optionally after=<0s to 1h, default 10s> (e.g. background=1%;recording=1%); a share"
                    + " left out has no limit";

    /** Parses {@code off} (null) or {@code background=1%;recording=1%}; throws naming the bad part otherwise. */
    public static OverheadLimits parse(String text) {
        final String t = text.trim();
        if (t.equalsIgnoreCase("off")) {
            return null;
        }
        double background = Double.POSITIVE_INFINITY;
        double recording = Double.POSITIVE_INFINITY;
        java.time.Duration after = DEFAULT_AFTER;
        boolean any = false;
        for (String part : t.split(";")) {
            final String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            final int eq = p.indexOf('=');
            final String key = eq < 0 ? p : p.substring(0, eq).trim();
            if (eq > 0 && key.equals("after")) {
                try {
                    after = Parsers.duration(java.time.Duration.ZERO, java.time.Duration.ofHours(1))
                            .apply(p.substring(eq + 1));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "'" + p.substring(eq + 1).trim() + "' is not a duration for after; expected " + ALLOWED);
                }
                continue;
            }
            if (eq < 0 || !(key.equals("background") || key.equals("recording"))) {
                throw new IllegalArgumentException("'" + p + "' is not a budget part; expected " + ALLOWED);
            }
            final double v;
            try {
                v = Parsers.decimal(0.0001, 1).apply(p.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "'" + p.substring(eq + 1).trim() + "' is not a share for " + key + "; expected " + ALLOWED);
            }
            if (key.equals("background")) {
                background = v;
            } else {
                recording = v;
            }
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException("'" + text + "' names no budget; expected " + ALLOWED);
        }
        return new OverheadLimits(background, recording, after.toNanos());
    }
}
