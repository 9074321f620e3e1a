package io.hotpath.exporter.prometheus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A test-side reader of the Prometheus text format: one sample per line, {@code name{k="v",...} value}. */
public record Scrape(List<Sample> samples) {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    public static Scrape get(int port) throws Exception {
        final HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("scrape answered " + r.statusCode());
        }
        return parse(r.body());
    }

    public static Scrape parse(String text) {
        final List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final int brace = line.indexOf('{');
            final int space = line.lastIndexOf(' ');
            final Map<String, String> labels = new LinkedHashMap<>();
            final String name;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                final String body = line.substring(brace + 1, line.lastIndexOf('}'));
                int i = 0;
                while (i < body.length()) {
                    final int eq = body.indexOf('=', i);
                    final StringBuilder v = new StringBuilder();
                    int j = eq + 2;
                    while (body.charAt(j) != '"') {
                        if (body.charAt(j) == '\\') {
                            j++;
                        }
                        v.append(body.charAt(j++));
                    }
                    labels.put(body.substring(i, eq).trim(), v.toString());
                    i = j + 1;
                    if (i < body.length() && body.charAt(i) == ',') {
                        i++;
                    }
                }
            } else {
                name = line.substring(0, line.indexOf(' '));
            }
            final int end = brace >= 0 && brace < space ? line.lastIndexOf('}') + 1 : name.length();
            final String[] tail = line.substring(end).trim().split(" ");
            out.add(new Sample(name, labels, Double.parseDouble(tail[0])));
        }
        return new Scrape(out);
    }

    /** The one sample of {@code name} whose labels include {@code label=value}; fails when there is not exactly one. */
    public double value(String name, String label, String value) {
        final List<Sample> found = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && value.equals(s.labels().get(label))) {
                found.add(s);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + "{" + label + "=" + value + "}");
        }
        return found.get(0).value();
    }

    public java.util.Set<String> names() {
        final java.util.Set<String> out = new java.util.TreeSet<>();
        samples.forEach(s -> out.add(s.name()));
        return out;
    }

    public java.util.Set<String> labels() {
        final java.util.Set<String> out = new java.util.TreeSet<>();
        samples.forEach(s -> out.addAll(s.labels().keySet()));
        return out;
    }
}
