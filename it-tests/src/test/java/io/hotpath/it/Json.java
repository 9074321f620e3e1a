package io.hotpath.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * Strict JSON reading for test assertions, on Jackson: objects become maps (in document order), arrays lists, whole
 * numbers Long, others Double. Duplicate keys, trailing content and non-standard JSON (NaN, comments, single quotes)
 * fail the read, so a malformed dump fails the test that reads it.
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Json() {}

    /** The value {@code text} holds. */
    public static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The object {@code text} holds. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(String text) {
        final Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("not a JSON object: " + text.substring(0, Math.min(80, text.length())));
        }
        return (Map<String, Object>) v;
    }
}
