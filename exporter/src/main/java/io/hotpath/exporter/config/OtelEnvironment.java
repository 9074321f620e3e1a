package io.hotpath.exporter.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads the standard OpenTelemetry SDK configuration that applies to hotpath's exporter, the way the SDK's own
 * autoconfiguration does: a system property ({@code otel.exporter.otlp.endpoint}) wins over the matching environment
 * variable ({@code OTEL_EXPORTER_OTLP_ENDPOINT}), a signal-specific name ({@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT})
 * over the generic one.
 *
 * <p>A value that is not allowed never stops anything: it becomes one line in {@link Result#problems()} naming the
 * variable, where it came from, the value and what is allowed, and the default is used. Header values are never
 * repeated in a problem line (they are usually credentials), and endpoints are shown without user info.
 *
 * <p>gRPC works with both schemes: {@code https://} through the JDK's HTTP client, cleartext {@code http://} (the
 * default {@code http://localhost:4317}) through hotpath's own HTTP/2 client with prior knowledge.
 */
public final class OtelEnvironment {
    /** Default OTLP/HTTP endpoint (the signal path is appended). */
    public static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318";
    /** Default OTLP/gRPC endpoint. */
    public static final String DEFAULT_GRPC_ENDPOINT = "http://localhost:4317";
    /** Default per-export timeout, retries included ({@code OTEL_EXPORTER_OTLP_TIMEOUT}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Default metric export interval ({@code OTEL_METRIC_EXPORT_INTERVAL}). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    /** Default time the metric reader waits for one export ({@code OTEL_METRIC_EXPORT_TIMEOUT}). */
    public static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What the environment says.
     *
     * @param metrics where metrics go
     * @param logs where log events go
     * @param metricInterval how often metrics are exported
     * @param metricExportTimeout how long the metric reader waits for one export
     * @param serviceName {@code OTEL_SERVICE_NAME}, if set
     * @param resourceAttributes {@code OTEL_RESOURCE_ATTRIBUTES}, decoded, in order
     * @param problems one line per value that was not allowed and was replaced by its default
     * @param otlpMetrics whether metrics go out over OTLP ({@code OTEL_METRICS_EXPORTER} unset or naming {@code otlp})
     * @param prometheus where the Prometheus scrape listens, when {@code OTEL_METRICS_EXPORTER} names {@code
     *     prometheus}
     */
    public record Result(
            OtlpSettings metrics,
            OtlpSettings logs,
            Duration metricInterval,
            Duration metricExportTimeout,
            Optional<String> serviceName,
            Map<String, String> resourceAttributes,
            List<String> problems,
            boolean otlpMetrics,
            Optional<PrometheusSettings> prometheus) {

        /** Freezes the collections. */
        public Result {
            resourceAttributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(resourceAttributes));
            problems = List.copyOf(problems);
        }
    }

    /** A value found for a property: the name as the user wrote it, the value, and where it came from. */
    private record Raw(String name, String value, String origin) {}

    private final Map<String, String> env;
    private final Properties system;
    /** One line per bad value; a set, because a generic variable is read once per signal but reported once. */
    private final java.util.Set<String> problems = new java.util.LinkedHashSet<>();

    private OtelEnvironment(Map<String, String> env, Properties system) {
        this.env = env;
        this.system = system;
    }

    /** Reads the live JVM's environment and system properties. */
    public static Result read() {
        return read(System.getenv(), System.getProperties());
    }

    /** Reads the given sources; visible for tests. */
    public static Result read(Map<String, String> env, Properties system) {
        return new OtelEnvironment(env, system).resolve();
    }

    private Result resolve() {
        final OtlpSettings metrics = signal("metrics");
        final OtlpSettings logs = signal("logs");
        if (metrics.unusable().isPresent() && metrics.unusable().equals(logs.unusable())) {
            problem(metrics.unusable().get() + "; metrics and events are not exported");
        } else {
            metrics.unusable().ifPresent(u -> problem(u + "; metrics are not exported"));
            logs.unusable().ifPresent(u -> problem(u + "; events are not exported"));
        }
        final Duration interval = millis("otel.metric.export.interval", 100, 86_400_000, DEFAULT_INTERVAL);
        final Duration exportTimeout = millis("otel.metric.export.timeout", 100, 600_000, DEFAULT_EXPORT_TIMEOUT);
        lookup("otel.exporter.otlp.metrics.temporality.preference").ifPresent(raw -> {
            if (!raw.value().trim().equalsIgnoreCase("cumulative")) {
                problem(raw.name() + "='" + raw.value() + "' (" + raw.origin() + ") ignored: hotpath exports"
                        + " cumulative values only, which stay exact across export failures");
            }
        });
        final Optional<String> serviceName =
                lookup("otel.service.name").map(r -> r.value().trim()).filter(s -> !s.isEmpty());
        final Map<String, String> attributes =
                lookup("otel.resource.attributes").map(this::resourceAttributes).orElse(Map.of());
        final java.util.Set<String> exporters = metricsExporters();
        final Optional<PrometheusSettings> prometheus =
                exporters.contains("prometheus") ? Optional.of(prometheus()) : Optional.empty();
        return new Result(
                metrics,
                logs,
                interval,
                exportTimeout,
                serviceName,
                attributes,
                new ArrayList<>(problems),
                exporters.contains("otlp"),
                prometheus);
    }

    // ------------------------------------------------------------------ metric exporters

    /**
     * {@code OTEL_METRICS_EXPORTER}: a comma-separated list of {@code otlp}, {@code prometheus} and {@code none}, as in
     * the SDK's autoconfiguration; unset means {@code otlp}. An unknown entry is reported and skipped; a list left
     * empty by that means {@code otlp}.
     */
    private java.util.Set<String> metricsExporters() {
        final Optional<Raw> raw = lookup("otel.metrics.exporter");
        if (raw.isEmpty()) {
            return java.util.Set.of("otlp");
        }
        final java.util.Set<String> out = new java.util.LinkedHashSet<>();
        boolean none = false;
        for (String part : raw.get().value().split(",")) {
            final String v = part.trim().toLowerCase(Locale.ROOT);
            if (v.equals("otlp") || v.equals("prometheus")) {
                out.add(v);
            } else if (v.equals("none")) {
                none = true;
            } else if (!v.isEmpty()) {
                problem("invalid " + raw.get().name() + " entry '" + part.trim() + "' ("
                        + raw.get().origin()
                        + "): expected otlp, prometheus or none, separated by commas; that entry is ignored");
            }
        }
        if (none && !out.isEmpty()) {
            problem(raw.get().name() + "='" + raw.get().value() + "' ("
                    + raw.get().origin() + "): none cannot be combined with other exporters; using "
                    + String.join(",", out));
        }
        return out.isEmpty() && !none ? java.util.Set.of("otlp") : out;
    }

    /** {@code OTEL_EXPORTER_PROMETHEUS_HOST} (default 127.0.0.1, see {@link PrometheusSettings}) and {@code _PORT}. */
    private PrometheusSettings prometheus() {
        String host = PrometheusSettings.DEFAULT_HOST;
        final Optional<Raw> rawHost = lookup("otel.exporter.prometheus.host");
        if (rawHost.isPresent()) {
            final String v = rawHost.get().value().trim();
            if (!v.isEmpty() && v.matches("[0-9A-Za-z.:%_-]+")) {
                host = v;
            } else {
                problem(invalid(rawHost.get(), "expected a host name or IP address such as 127.0.0.1", "127.0.0.1"));
            }
        }
        int port = PrometheusSettings.DEFAULT_PORT;
        final Optional<Raw> rawPort = lookup("otel.exporter.prometheus.port");
        if (rawPort.isPresent()) {
            try {
                final int p = Integer.parseInt(rawPort.get().value().trim());
                if (p < 1 || p > 65535) {
                    throw new NumberFormatException();
                }
                port = p;
            } catch (NumberFormatException e) {
                problem(invalid(
                        rawPort.get(),
                        "expected a TCP port from 1 to 65535",
                        String.valueOf(PrometheusSettings.DEFAULT_PORT)));
            }
        }
        return new PrometheusSettings(host, port);
    }

    // ------------------------------------------------------------------ one signal

    private OtlpSettings signal(String signal) {
        final String generic = "otel.exporter.otlp.";
        final String specific = generic + signal + ".";
        final Protocol protocol = protocol(first(specific + "protocol", generic + "protocol"));

        boolean defaultEndpoint = true;
        URI endpoint = null;
        final Optional<Raw> signalEndpoint = lookup(specific + "endpoint");
        final Optional<Raw> genericEndpoint = lookup(generic + "endpoint");
        if (signalEndpoint.isPresent()) {
            endpoint = url(signalEndpoint.get());
        }
        if (endpoint == null && genericEndpoint.isPresent()) {
            final URI base = url(genericEndpoint.get());
            if (base != null) {
                endpoint = protocol == Protocol.GRPC ? base : appendPath(base, "v1/" + signal);
            }
        }
        if (endpoint != null) {
            defaultEndpoint = false;
        } else {
            endpoint = protocol == Protocol.GRPC
                    ? URI.create(DEFAULT_GRPC_ENDPOINT)
                    : URI.create(DEFAULT_HTTP_ENDPOINT + "/v1/" + signal);
        }

        final Map<String, String> headers = new LinkedHashMap<>();
        lookup(generic + "headers").ifPresent(raw -> headers.putAll(headers(raw)));
        lookup(specific + "headers").ifPresent(raw -> headers.putAll(headers(raw)));

        final Duration timeout = millis(first(specific + "timeout", generic + "timeout"), 1, 600_000, DEFAULT_TIMEOUT);
        final String compression = compression(first(specific + "compression", generic + "compression"));
        final Optional<Path> certificate = file(first(specific + "certificate", generic + "certificate"));
        Optional<Path> clientKey = file(first(specific + "client.key", generic + "client.key"));
        Optional<Path> clientCertificate = file(first(specific + "client.certificate", generic + "client.certificate"));
        if (clientKey.isPresent() != clientCertificate.isPresent()) {
            problem("TLS client authentication for " + signal + " needs both OTEL_EXPORTER_OTLP_CLIENT_KEY and"
                    + " OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE (or their " + signal.toUpperCase(Locale.ROOT)
                    + " forms); only one is set, so neither is used");
            clientKey = Optional.empty();
            clientCertificate = Optional.empty();
        }

        return new OtlpSettings(
                signal,
                protocol,
                endpoint,
                defaultEndpoint,
                headers,
                timeout,
                compression,
                certificate,
                clientKey,
                clientCertificate,
                Optional.empty());
    }

    private Protocol protocol(Optional<Raw> raw) {
        if (raw.isEmpty()) {
            return Protocol.HTTP_PROTOBUF;
        }
        final String v = raw.get().value().trim().toLowerCase(Locale.ROOT);
        for (Protocol p : Protocol.values()) {
            if (p.label().equals(v)) {
                return p;
            }
        }
        problem(invalid(
                raw.get(),
                "expected http/protobuf or grpc" + (v.equals("http/json") ? " (http/json is not supported)" : ""),
                Protocol.HTTP_PROTOBUF.label()));
        return Protocol.HTTP_PROTOBUF;
    }

    private URI url(Raw raw) {
        final String v = raw.value().trim();
        try {
            final URI uri = new URI(v);
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        String shown = v;
        try {
            shown = OtlpSettings.display(new URI(v));
        } catch (URISyntaxException e) {
            shown = v.replaceAll("//[^/@]*@", "//");
        }
        problem("invalid " + raw.name() + "='" + shown + "' (" + raw.origin() + "): expected an http:// or"
                + " https:// URL such as http://collector:4318; using the default");
        return null;
    }

    private static URI appendPath(URI base, String path) {
        final String s = base.toString();
        final int query = s.indexOf('?');
        final String head = query >= 0 ? s.substring(0, query) : s;
        final String tail = query >= 0 ? s.substring(query) : "";
        return URI.create((head.endsWith("/") ? head : head + "/") + path + tail);
    }

    /** {@code key=value} pairs separated by commas, values percent-decoded; bad entries are dropped. */
    private Map<String, String> headers(Raw raw) {
        final Map<String, String> out = new LinkedHashMap<>();
        final String[] entries = raw.value().split(",");
        for (int i = 0; i < entries.length; i++) {
            final String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            final int eq = entry.indexOf('=');
            final String key = eq > 0 ? entry.substring(0, eq).trim() : "";
            final String value = eq > 0 ? percentDecode(entry.substring(eq + 1).trim()) : null;
            if (key.isEmpty() || value == null || !key.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                // Never echo the entry: a malformed header is still probably a credential.
                problem("invalid " + raw.name() + " (" + raw.origin() + "): entry " + (i + 1)
                        + " is not a header name=value pair (value not shown); that entry is ignored");
                continue;
            }
            out.put(key, value);
        }
        return out;
    }

    private Map<String, String> resourceAttributes(Raw raw) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (String part : raw.value().split(",")) {
            final String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            final int eq = entry.indexOf('=');
            final String value = eq > 0 ? percentDecode(entry.substring(eq + 1).trim()) : null;
            if (eq <= 0 || value == null) {
                problem("invalid " + raw.name() + " entry '" + entry + "' (" + raw.origin()
                        + "): expected key=value pairs separated by commas; that entry is ignored");
                continue;
            }
            out.put(entry.substring(0, eq).trim(), value);
        }
        return out;
    }

    /** Decodes {@code %XX} escapes (not {@code +}); null when an escape is malformed. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                final int hi = Character.digit(s.charAt(i + 1), 16);
                final int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write((hi << 4) | lo);
                i += 2;
            } else {
                final byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private Duration millis(String property, long min, long max, Duration fallback) {
        return millis(lookup(property), min, max, fallback);
    }

    private Duration millis(Optional<Raw> raw, long min, long max, Duration fallback) {
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            final long ms = Long.parseLong(raw.get().value().trim());
            if (ms >= min && ms <= max) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(invalid(
                raw.get(),
                "expected milliseconds from " + min + " to " + max + ", such as " + fallback.toMillis(),
                String.valueOf(fallback.toMillis())));
        return fallback;
    }

    private String compression(Optional<Raw> raw) {
        if (raw.isEmpty()) {
            return "none";
        }
        final String v = raw.get().value().trim().toLowerCase(Locale.ROOT);
        if (v.equals("gzip") || v.equals("none")) {
            return v;
        }
        problem(invalid(raw.get(), "expected gzip or none", "none"));
        return "none";
    }

    private Optional<Path> file(Optional<Raw> raw) {
        if (raw.isEmpty() || raw.get().value().isBlank()) {
            return Optional.empty();
        }
        try {
            final Path p = Path.of(raw.get().value().trim());
            if (Files.isRegularFile(p) && Files.isReadable(p)) {
                return Optional.of(p);
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        problem(invalid(raw.get(), "expected a readable PEM file", "the JVM's defaults"));
        return Optional.empty();
    }

    private static String invalid(Raw raw, String allowed, String using) {
        return "invalid " + raw.name() + "='" + raw.value() + "' (" + raw.origin() + "): " + allowed + "; using "
                + using;
    }

    /**
     * Adds one problem line. A value may hold a line break or a terminal escape sequence (a variable filled from a
     * template, a pasted secret): control characters are escaped, so each problem stays one line of the log.
     */
    private void problem(String line) {
        final StringBuilder b = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        problems.add(b.toString());
    }

    // ------------------------------------------------------------------ lookup

    private Optional<Raw> first(String specific, String generic) {
        final Optional<Raw> s = lookup(specific);
        return s.isPresent() ? s : lookup(generic);
    }

    /** The system property, else the environment variable of the same name ({@code OTEL_...}). */
    private Optional<Raw> lookup(String property) {
        final String sys = system.getProperty(property);
        if (sys != null) {
            return Optional.of(new Raw(property, sys, "system property"));
        }
        final String envName = envName(property);
        final String value = env.get(envName);
        return value == null ? Optional.empty() : Optional.of(new Raw(envName, value, "environment variable"));
    }

    /** {@code otel.exporter.otlp.client.key} to {@code OTEL_EXPORTER_OTLP_CLIENT_KEY}. */
    public static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
