package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The agent's JSON dump (docs/dump-format.md), read for assertions. */
public final class Dump {
    private final Map<String, Object> root;

    private Dump(Map<String, Object> root) {
        this.root = root;
    }

    public static Dump read(Path file) throws IOException {
        return new Dump(Json.object(Files.readString(file)));
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> probes() {
        return (List<Map<String, Object>>) root.get("probes");
    }

    /** The one probe whose name matches; fails with the list of names otherwise. */
    public Probe probe(String description, Predicate<String> name) {
        final List<Map<String, Object>> found =
                probes().stream().filter(p -> name.test((String) p.get("name"))).toList();
        assertThat(found).as(description + " among " + names()).hasSize(1);
        return new Probe(found.get(0));
    }

    public List<String> names() {
        return probes().stream().map(p -> (String) p.get("name")).toList();
    }

    /** One probe of the dump. */
    public record Probe(Map<String, Object> json) {
        public String name() {
            return (String) json.get("name");
        }

        public String kind() {
            return (String) json.get("kind");
        }

        @SuppressWarnings("unchecked")
        public long counter(String name) {
            final Object v = ((Map<String, Object>) json.get("counters")).get(name);
            assertThat(v).as("counter " + name + " of " + name()).isNotNull();
            return ((Number) v).longValue();
        }

        @SuppressWarnings("unchecked")
        public long dist(String dist, String field) {
            final Map<String, Object> d = (Map<String, Object>) json.get(dist);
            assertThat(d).as(dist + " of " + name()).isNotNull();
            return ((Number) d.get(field)).longValue();
        }

        @SuppressWarnings("unchecked")
        public Long gauge(String name) {
            final Object v = ((Map<String, Object>) json.get("gauges")).get(name);
            return v == null ? null : ((Number) v).longValue();
        }
    }
}
