package io.hotpath.reference;

import java.util.Locale;

/** A minimal single-line JSON builder for the ground truth: objects, arrays, strings, longs, doubles, booleans. */
final class JsonWriter {
    private final StringBuilder json = new StringBuilder(2048);

    /** Whether the next member or element needs a leading comma. */
    private boolean needsComma;

    JsonWriter beginObject() {
        comma();
        json.append('{');
        needsComma = false;
        return this;
    }

    JsonWriter endObject() {
        json.append('}');
        needsComma = true;
        return this;
    }

    JsonWriter beginArray() {
        comma();
        json.append('[');
        needsComma = false;
        return this;
    }

    JsonWriter endArray() {
        json.append(']');
        needsComma = true;
        return this;
    }

    /** Starts a member; follow with a value, {@link #beginObject()} or {@link #beginArray()}. */
    JsonWriter name(String name) {
        comma();
        string(name);
        json.append(':');
        needsComma = false;
        return this;
    }

    JsonWriter value(String value) {
        comma();
        if (value == null) {
            json.append("null");
        } else {
            string(value);
        }
        needsComma = true;
        return this;
    }

    JsonWriter value(long value) {
        comma();
        json.append(value);
        needsComma = true;
        return this;
    }

    JsonWriter value(boolean value) {
        comma();
        json.append(value);
        needsComma = true;
        return this;
    }

    /** A number rounded to 3 decimals, or {@code null} when not finite (JSON has no infinity). */
    JsonWriter value(double value) {
        comma();
        if (Double.isFinite(value)) {
            json.append(String.format(Locale.ROOT, "%.3f", value));
        } else {
            json.append("null");
        }
        needsComma = true;
        return this;
    }

    JsonWriter member(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter member(String name, long value) {
        return name(name).value(value);
    }

    JsonWriter member(String name, double value) {
        return name(name).value(value);
    }

    JsonWriter member(String name, boolean value) {
        return name(name).value(value);
    }

    @Override
    public String toString() {
        return json.toString();
    }

    private void comma() {
        if (needsComma) {
            json.append(',');
        }
    }

    private void string(String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
