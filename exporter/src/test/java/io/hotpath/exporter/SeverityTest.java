package io.hotpath.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SeverityTest {
    @Test
    void labelsParseInAnyCaseAndMapOntoOpenTelemetryNumbers() {
        assertThat(Severity.ofLabel(" Warning ")).isEqualTo(Severity.WARNING);
        assertThat(Severity.ofLabel("critical")).isEqualTo(Severity.CRITICAL);
        assertThat(Severity.INFO.label()).isEqualTo("info");
        assertThat(Severity.values()).extracting(Severity::number).containsExactly(9, 13, 17);
        assertThat(Severity.max(Severity.WARNING, Severity.INFO)).isEqualTo(Severity.WARNING);
    }

    @Test
    void aBadLabelIsOneLineNamingTheValueAndTheAllowedOnes() {
        assertThatThrownBy(() -> Severity.ofLabel("warn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("severity 'warn' is not one of info, warning, critical");
    }
}
