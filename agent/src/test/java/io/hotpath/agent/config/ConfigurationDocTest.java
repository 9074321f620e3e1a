package io.hotpath.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.GeneratedDocSection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps docs/configuration.md equal to the settings the code reads. On a mismatch, run
 * {@code ./mvnw -q -pl agent test -Dtest=ConfigurationDocTest -Dhotpath.docs.write=true} to regenerate the table.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigurationDocTest {
    private static final Path DOC = Path.of("../docs/configuration.md");
    private static final String BEGIN = "<!-- settings-table:begin (generated from Settings.java) -->";
    private static final String END = "<!-- settings-table:end -->";

    static String table() {
        final StringBuilder b = new StringBuilder();
        b.append("| property | environment variable | default | allowed | what it does |\n");
        b.append("| --- | --- | --- | --- | --- |\n");
        for (Setting<?> s : Settings.ALL) {
            b.append("| `")
                    .append(s.key())
                    .append("` | `")
                    .append(s.envName())
                    .append("` | ")
                    .append(s.defaultText().isEmpty() ? "(none)" : "`" + s.defaultText() + "`")
                    .append(" | ")
                    .append(s.allowed().replace("|", "\\|"))
                    .append(" | ")
                    .append(s.description().replace("|", "\\|"))
                    .append(Settings.changeableAtRunTime(s) ? " Changeable at run time (docs/http-api.md)." : "")
                    .append(" |\n");
        }
        return b.toString();
    }

    @Test
    void docListsEverySettingWithEnvDefaultAndAllowedValues() throws IOException {
        GeneratedDocSection.check(DOC, BEGIN, END, table());
    }

    @Test
    void everyDefaultParses() {
        for (Setting<?> s : Settings.ALL) {
            s.defaultValue();
            assertThat(s.key()).startsWith("hotpath.");
            assertThat(s.envName()).startsWith("HOTPATH_");
        }
    }
}
