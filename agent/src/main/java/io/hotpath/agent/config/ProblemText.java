package io.hotpath.agent.config;

/**
 * How a problem line shows what the user wrote. A value may hold anything a shell, a template or a properties file
 * let through: line breaks, terminal escape sequences, megabytes of text. Each problem must stay one readable line in
 * the log, so values are shown with control characters escaped ({@code \n}, {@code \t}, {@code \u001b}) and cut
 * after {@value #MAX_SHOWN} characters.
 */
public final class ProblemText {
    /** Longest part of a value a problem line repeats. */
    static final int MAX_SHOWN = 200;

    private ProblemText() {}

    /** {@code raw} escaped and cut to {@value #MAX_SHOWN} characters, saying how long it was when cut. */
    public static String value(String raw) {
        if (raw == null) {
            return "null";
        }
        if (raw.length() <= MAX_SHOWN) {
            return escape(raw);
        }
        return escape(raw.substring(0, MAX_SHOWN)) + "...(" + raw.length() + " characters)";
    }

    /** {@code text} with every character that would break or colour a log line escaped. */
    public static String escape(String text) {
        int i = 0;
        while (i < text.length() && !control(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        final StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (control(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
    static boolean control(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029';
    }
}
