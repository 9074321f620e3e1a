package io.hotpath.agent.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RedactedUrlTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "https://hooks.example.com/alert|https://hooks.example.com/alert",
                "https://user:secret@hooks.example.com/alert|https://***@hooks.example.com/alert",
                "https://user:secret@hooks.example.com:8443|https://***@hooks.example.com:8443",
                "https://hooks.example.com/alert?token=secret&x=1|https://hooks.example.com/alert?***",
                "https://u:p@h/a?token=secret#frag|https://***@h/a?***",
                "https://h/a#secret|https://h/a#***",
                // a password holding '@' and ':' is user info up to the last '@' before the path
                "http://u:p@ss:w@rd@127.0.0.1:9/x|http://***@127.0.0.1:9/x",
                // not valid URIs: redacted all the same
                "https://user:secret@host/a b?token=secret|https://***@host/a b?***",
                "https://user:secret@/hook|https://***@/hook",
                "ftp://user:secret@host|ftp://***@host",
                "  https://user:secret@host  |https://***@host",
                "https://u:p#secret@host/x|https://***@host/x",
                "https://u:p?secret@host/x|https://***@host/x",
            })
    void credentialsAreReplaced(String url, String shown) {
        assertThat(RedactedUrl.of(url)).isEqualTo(shown).doesNotContain("secret");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"user:secret@host/path", "//user:secret@host"})
    void withoutSchemeToo(String url) {
        assertThat(RedactedUrl.of(url)).doesNotContain("secret");
    }
}
