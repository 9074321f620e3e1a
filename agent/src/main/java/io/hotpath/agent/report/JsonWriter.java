package io.hotpath.agent.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The agent's one JSON writer (the dump, the webhook's alert body): a minimal streaming writer into a
 * {@link StringBuilder} of objects, arrays, strings, integers and finite doubles. It tracks only whether the next element needs a comma (and whether a line break is pending), which is all
 * that valid nesting requires; callers
 * are trusted to balance begin and end (this is not a general-purpose library).
 */
public final class JsonWriter {
    /** Doubles below this magnitude print in plain notation; larger ones cannot carry a fraction worth printing. */
    private static final double PLAIN_LIMIT = 1e15;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    private boolean needComma;
    private boolean breakLine;

    public JsonWriter(StringBuilder out) {
        this.out = out;
    }

    public JsonWriter beginObject() {
        separate();
        out.append('{');
        needComma = false;
        return this;
    }

    public JsonWriter endObject() {
        lineBreak();
        out.append('}');
        needComma = true;
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        out.append('[');
        needComma = false;
        return this;
    }

    public JsonWriter endArray() {
        lineBreak();
        out.append(']');
        needComma = true;
        return this;
    }

    /** Writes a member name; the next call writes its value. */
    public JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(':');
        needComma = false;
        return this;
    }

    /** A string value; null writes {@code null}. */
    public JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        needComma = true;
        return this;
    }

    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        needComma = true;
        return this;
    }

    public JsonWriter value(long value) {
        separate();
        out.append(value);
        needComma = true;
        return this;
    }

    /**
     * A number rounded to {@code decimals} places, in plain notation without trailing zeros. JSON has no NaN or
     * infinity; such a value writes {@code null} so that a dump stays valid whatever a computation produced.
     */
    public JsonWriter value(double value, int decimals) {
        separate();
        if (!Double.isFinite(value)) {
            out.append("null");
        } else if (Math.abs(value) >= PLAIN_LIMIT) {
            // Double.toString of a finite double is valid JSON (e.g. 1.0E20).
            out.append(Double.toString(value));
        } else {
            final BigDecimal rounded = BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN);
            final String text =
                    rounded.signum() == 0 ? "0" : rounded.stripTrailingZeros().toPlainString();
            out.append(text);
        }
        needComma = true;
        return this;
    }

    /**
     * Breaks the line before the next element or closing bracket, for readability (JSON allows whitespace between any
     * two tokens). The break goes after the pending comma, so the text reads one element per line.
     */
    public JsonWriter newline() {
        breakLine = true;
        return this;
    }

    private void separate() {
        if (needComma) {
            out.append(',');
        }
        lineBreak();
    }

    private void lineBreak() {
        if (breakLine) {
            out.append('\n');
            breakLine = false;
        }
    }

    /**
     * Writes a quoted string. Escapes what JSON requires (quote, backslash, controls below U+0020), plus DEL, the JS
     * line separators U+2028/U+2029 (so the text is also a safe JavaScript literal), and unpaired surrogates, which
     * have no UTF-8 encoding and would otherwise turn into '?' when the dump is written.
     */
    private void quote(String s) {
        out.append('"');
        final int n = s.length();
        for (int i = 0; i < n; i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private void unicodeEscape(char c) {
        out.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }
}
