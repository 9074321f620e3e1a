package io.hotpath.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.agent.config.Config;
import io.hotpath.agent.config.Settings;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JitDirectivesTest {
    @Test
    void settingDefaultsToOnAndTakesFalse() {
        assertThat(Config.resolve(null, new Properties(), Map.of()).get(Settings.JIT_DIRECTIVES))
                .isTrue();
        final Properties off = new Properties();
        off.setProperty("hotpath.jit.directives", "false");
        final Config c = Config.resolve(null, off, Map.of());
        assertThat(c.get(Settings.JIT_DIRECTIVES)).isFalse();
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void badValueIsOneLineAndKeepsTheDirective() {
        final Config c = Config.resolve(null, new Properties(), Map.of("HOTPATH_JIT_DIRECTIVES", "c1"));
        assertThat(c.get(Settings.JIT_DIRECTIVES)).isTrue();
        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p)
                .contains("HOTPATH_JIT_DIRECTIVES")
                .contains("'c1'")
                .contains("expected true or false")
                .doesNotContain("\n"));
    }

    @Test
    void directiveMatchesOnlyTheAgentsColdSidePackages() {
        assertThat(JitDirectives.directive())
                .isEqualTo("[{\"match\": [\"io/hotpath/agent/*.*\", \"io/hotpath/exporter/*.*\","
                        + " \"io/hotpath/shaded/*.*\"], \"c2\": {\"Exclude\": true}}]\n");
        assertThat(JitDirectives.PACKAGES).noneMatch(p -> p.startsWith("io/hotpath/bootstrap"));
    }

    /** The JVM running this test takes the directive; its stack then shows it, and only our patterns, C2 excluded. */
    @Test
    void theJvmTakesTheDirective() throws Exception {
        final ObjectName dcmd = new ObjectName("com.sun.management:type=DiagnosticCommand");
        final String before = print(dcmd);
        assertThat(JitDirectives.install()).isNull();
        try {
            final String after = print(dcmd);
            assertThat(before).doesNotContain("io/hotpath/agent/");
            for (String p : JitDirectives.PACKAGES) {
                assertThat(after).contains(p + "*.*");
            }
            assertThat(after).doesNotContain("io/hotpath/bootstrap");
            final String ours = after.substring(0, after.indexOf("Directive:", after.indexOf("io/hotpath/agent/")));
            assertThat(ours.substring(ours.indexOf("c2 directives:"))).contains("Exclude:true");
            assertThat(ours.substring(ours.indexOf("c1 directives:"), ours.indexOf("c2 directives:")))
                    .contains("Exclude:false");
        } finally {
            ManagementFactory.getPlatformMBeanServer()
                    .invoke(dcmd, "compilerDirectivesRemove", new Object[0], new String[0]);
        }
        assertThat(print(dcmd)).isEqualTo(before);
    }

    private static String print(ObjectName dcmd) throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer()
                .invoke(dcmd, "compilerDirectivesPrint", new Object[0], new String[0]));
    }
}
