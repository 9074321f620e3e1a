package io.hotpath.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files are on the class path where the endpoint serves them (the page and the uPlot files the build
 * unpacks), and the page keeps to what its Content-Security-Policy allows: nothing from another origin, no inline
 * script, style or event handler, and no agent text inserted as markup. The page's behaviour is tested in Chromium
 * (it-tests DashboardPageIT, DashboardIT).
 */
class DashboardFilesTest {
    static final String BASE = "io/hotpath/agent/http/dashboard/";

    private static String read(String name) throws IOException {
        try (InputStream in = DashboardFilesTest.class.getClassLoader().getResourceAsStream(BASE + name)) {
            assertThat(in)
                    .as("%s%s on the class path (uPlot files come from the build's unpack step)", BASE, name)
                    .isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyFileThePageLoadsIsThereWithUPlotsLicence() throws IOException {
        for (String f : List.of("index.html", "app.js", "app.css", "uPlot.iife.min.js", "uPlot.min.css")) {
            assertThat(read(f)).as(f).isNotBlank();
        }
        assertThat(read("uPlot.LICENSE.txt")).contains("MIT License");
        assertThat(read("uPlot.iife.min.js")).contains("uPlot");
    }

    @Test
    void pageLoadsOnlyItsOwnFilesAndNothingInline() throws IOException {
        final String html = read("index.html");
        final List<String> refs = matches(html, "(?:src|href)=\"([^\"]*)\"");
        assertThat(refs).containsExactlyInAnyOrder("uPlot.min.css", "app.css", "uPlot.iife.min.js", "app.js");
        for (String ref : refs) {
            assertThat(StaticFiles.relative("/" + ref))
                    .as("%s is a plain file the endpoint serves", ref)
                    .isEqualTo(ref);
        }
        assertThat(matches(html, "<script([^>]*)>"))
                .allSatisfy(attrs -> assertThat(attrs).contains("src="));
        assertThat(html).doesNotContainPattern("<style|\\sstyle=|\\son[a-z]+=|javascript:");
    }

    @Test
    void scriptAndStyleReachNoOtherOriginAndInsertNoMarkup() throws IOException {
        final String js = read("app.js");
        assertThat(js).doesNotContainPattern("https?://|//[a-z0-9.-]+\\.[a-z]{2,}/");
        assertThat(js)
                .doesNotContain(
                        "innerHTML",
                        "outerHTML",
                        "insertAdjacentHTML",
                        "document.write",
                        "eval(",
                        "new Function",
                        "localStorage");
        assertThat(matches(js, "fetch\\(([^,)]*)")).allSatisfy(arg -> assertThat(arg)
                .as("fetch of a relative path")
                .doesNotContain(":")
                .doesNotStartWith("'/"));
        final String css = read("app.css");
        assertThat(css).doesNotContain("@import", "url(");
    }

    private static List<String> matches(String text, String regex) {
        final Matcher m = Pattern.compile(regex).matcher(text);
        final List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
