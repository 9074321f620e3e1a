package io.hotpath.agent.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration property: its {@code hotpath.*} name, the matching {@code HOTPATH_*} environment variable, a
 * default, a parser, and a description of what is allowed (used in error messages and docs/configuration.md).
 *
 * @param key property name, e.g. {@code hotpath.summary.interval}
 * @param defaultText the default as the user would write it
 * @param allowed what values are allowed, in words
 * @param description one sentence on what it does
 * @param parser turns the text into a value, throwing {@link IllegalArgumentException} when it is not allowed
 * @param atRunTime whether it may change while the application runs (HTTP {@code POST /api/settings}, JMX, the CLI's
 *     {@code set}); every other setting is read at start only
 */
public record Setting<T>(
        String key,
        String defaultText,
        String allowed,
        String description,
        Function<String, T> parser,
        boolean atRunTime) {

    /** A setting read at start only. */
    public Setting(String key, String defaultText, String allowed, String description, Function<String, T> parser) {
        this(key, defaultText, allowed, description, parser, false);
    }

    /** This setting, marked changeable while the application runs. */
    Setting<T> changeableAtRunTime() {
        return new Setting<>(key, defaultText, allowed, description, parser, true);
    }

    /** The environment variable for this property: upper case, dots and dashes as underscores. */
    String envName() {
        return envName(key);
    }

    /** The environment variable name for any {@code hotpath.*} key. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The default value, parsed. */
    T defaultValue() {
        return parser.apply(defaultText);
    }
}
