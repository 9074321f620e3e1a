package io.hotpath.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A part of a document generated from the code, between two marker lines: the doc tests check it is what the code
 * generates now, and with {@code -Dhotpath.docs.write=true} write it instead.
 */
public final class GeneratedDocSection {
    private GeneratedDocSection() {}

    /** Fails unless the text between {@code begin} and {@code end} in {@code doc} is {@code generated}. */
    public static void check(Path doc, String begin, String end, String generated) throws IOException {
        final String text = Files.readString(doc, StandardCharsets.UTF_8);
        final int from = text.indexOf(begin);
        final int to = text.indexOf(end);
        assertThat(from).as("markers in " + doc).isGreaterThanOrEqualTo(0);
        assertThat(to).isGreaterThan(from);
        final String current = text.substring(from + begin.length() + 1, to);
        if (Boolean.getBoolean("hotpath.docs.write") && !current.equals(generated)) {
            Files.writeString(
                    doc,
                    text.substring(0, from + begin.length() + 1) + generated + text.substring(to),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(current).isEqualTo(generated);
    }
}
