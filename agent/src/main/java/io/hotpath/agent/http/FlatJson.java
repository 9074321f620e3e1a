package io.hotpath.agent.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict parser for the request bodies the write API takes: one JSON object whose members are strings, numbers,
 * {@code true}, {@code false} or {@code null}; no nesting, no duplicate names, nothing after it but whitespace
 * (RFC 8259 otherwise: escapes, no raw control characters, numbers without leading zeros). The bodies are a member or
 * two of at most 64 KiB, so a general JSON library (relocated, loaded into every JVM that sets a port) would carry far
 * more code than the grammar needs; this one is small enough to read in full and is fuzzed by its test.
 *
 * <p>Values come back as {@link String}, {@link Boolean}, {@link java.math.BigDecimal} or {@link #NULL}.
 */
final class FlatJson {
    /** The JSON {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A body that is not such an object: the message says where and what was expected. */
    static final class BadJson extends Exception {
        private static final long serialVersionUID = 1L;

        BadJson(String message) {
            super(message, null, false, false);
        }
    }

    private final String text;
    private int pos;

    private FlatJson(String text) {
        this.text = text;
    }

    /** Parses {@code text}. */
    static Map<String, Object> parse(String text) throws BadJson {
        final FlatJson p = new FlatJson(text);
        p.whitespace();
        final Map<String, Object> members = p.object();
        p.whitespace();
        if (p.pos != text.length()) {
            throw p.bad("text after the object");
        }
        return members;
    }

    private Map<String, Object> object() throws BadJson {
        expect('{');
        final Map<String, Object> members = new LinkedHashMap<>();
        whitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            whitespace();
            if (peek() != '"') {
                throw bad("a member name in double quotes");
            }
            final String name = string();
            whitespace();
            expect(':');
            whitespace();
            final Object value = value();
            if (members.put(name, value) != null) {
                throw new BadJson("member \"" + name + "\" appears twice");
            }
            whitespace();
            final char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return members;
            } else {
                throw bad("',' or '}'");
            }
        }
    }

    private Object value() throws BadJson {
        final char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (text.startsWith("true", pos)) {
            pos += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", pos)) {
            pos += 5;
            return Boolean.FALSE;
        }
        if (text.startsWith("null", pos)) {
            pos += 4;
            return NULL;
        }
        if (c == '{' || c == '[') {
            throw bad("a string, number, true, false or null (nested objects and arrays are not taken)");
        }
        throw bad("a string, number, true, false or null");
    }

    private String string() throws BadJson {
        expect('"');
        final StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw bad("the closing '\"' of a string");
            }
            final char c = text.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new BadJson("control character U+" + String.format("%04X", (int) c) + " in a string at offset "
                        + (pos - 1) + " (escape it)");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw bad("an escape after '\\'");
            }
            final char e = text.charAt(pos++);
            switch (e) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '/' -> b.append('/');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw bad("four hex digits after \\u");
                    }
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        final int d = Character.digit(text.charAt(pos + i), 16);
                        if (d < 0) {
                            throw bad("four hex digits after \\u");
                        }
                        v = v * 16 + d;
                    }
                    pos += 4;
                    b.append((char) v);
                }
                default -> {
                    pos--;
                    throw bad("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u");
                }
            }
        }
    }

    private java.math.BigDecimal number() throws BadJson {
        final int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            throw bad("a digit");
        }
        if (peek() == '.') {
            pos++;
            if (!(peek() >= '0' && peek() <= '9')) {
                throw bad("a digit after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!(peek() >= '0' && peek() <= '9')) {
                throw bad("a digit in the exponent");
            }
            digits();
        }
        if (pos - start > 40) {
            throw new BadJson("number at offset " + start + " is longer than 40 characters");
        }
        return new java.math.BigDecimal(text.substring(start, pos));
    }

    private void digits() {
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
    }

    private void whitespace() {
        while (pos < text.length()) {
            final char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) throws BadJson {
        if (peek() != c) {
            throw bad("'" + c + "'");
        }
        pos++;
    }

    private BadJson bad(String expected) {
        final String found = pos >= text.length()
                ? "the end of the body"
                : "'" + io.hotpath.agent.config.ProblemText.value(String.valueOf(text.charAt(pos))) + "'";
        return new BadJson("expected " + expected + " at offset " + pos + ", found " + found);
    }
}
