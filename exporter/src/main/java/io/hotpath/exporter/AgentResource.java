package io.hotpath.exporter;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The OpenTelemetry resource every exported metric and event carries: which service, which process, which host, which
 * runtime, and that hotpath produced it.
 *
 * <p>Precedence, lowest first: the SDK's defaults ({@code telemetry.sdk.*}), what hotpath detects, {@code
 * OTEL_RESOURCE_ATTRIBUTES}, {@code OTEL_SERVICE_NAME}. Without a configured name, {@code service.name} is derived from
 * how the JVM was launched: the jar's file name without {@code .jar} for {@code java -jar app.jar}, else the main
 * class. The command line's arguments are never exported (they may hold secrets).
 */
public final class AgentResource {
    private AgentResource() {}

    /**
     * Builds the resource.
     *
     * @param settings the export settings (service name, resource attributes, agent version)
     * @param command the JVM's {@code sun.java.command}: main class or jar, then arguments
     * @param hostName finds the host name; called once (may be slow where DNS is misconfigured, so call this on a
     *     background thread)
     */
    public static Resource build(ExportSettings settings, String command, Supplier<String> hostName) {
        final AttributesBuilder detected = Attributes.builder()
                .put("service.name", serviceName(command))
                .put("service.instance.id", instanceId().toString())
                .put("process.pid", ProcessHandle.current().pid())
                .put("process.runtime.name", System.getProperty("java.runtime.name", "java"))
                .put("process.runtime.version", System.getProperty("java.runtime.version", "unknown"))
                .put(
                        "process.runtime.description",
                        System.getProperty("java.vm.vendor", "") + " " + System.getProperty("java.vm.name", "") + " "
                                + System.getProperty("java.vm.version", ""))
                .put("os.type", osType(System.getProperty("os.name", "")))
                .put("host.arch", hostArch(System.getProperty("os.arch", "")))
                .put("telemetry.distro.name", "hotpath")
                .put("telemetry.distro.version", settings.agentVersion());
        final String host = hostName.get();
        if (host != null && !host.isBlank()) {
            detected.put("host.name", host);
        }
        final AttributesBuilder user = Attributes.builder();
        for (Map.Entry<String, String> e : settings.resourceAttributes().entrySet()) {
            user.put(e.getKey(), e.getValue());
        }
        Resource resource =
                Resource.getDefault().merge(Resource.create(detected.build())).merge(Resource.create(user.build()));
        if (settings.serviceName().isPresent()) {
            resource = resource.merge(Resource.create(Attributes.builder()
                    .put("service.name", settings.serviceName().get())
                    .build()));
        }
        return resource;
    }

    /** {@code app} for {@code /opt/app.jar arg...}, the main class otherwise, {@code unknown_service:java} if empty. */
    static String serviceName(String command) {
        final String trimmed = command == null ? "" : command.trim();
        final int space = trimmed.indexOf(' ');
        final String main = space > 0 ? trimmed.substring(0, space) : trimmed;
        if (main.isEmpty()) {
            return "unknown_service:java";
        }
        if (main.toLowerCase(Locale.ROOT).endsWith(".jar")) {
            final String file = main.substring(Math.max(main.lastIndexOf('/'), main.lastIndexOf('\\')) + 1);
            return file.substring(0, file.length() - 4);
        }
        return main;
    }

    /** The local host name: {@code HOSTNAME} if set, else what the resolver says; empty if neither works. */
    public static String localHostName() {
        final String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    private static String osType(String osName) {
        final String n = osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return "linux";
        }
        if (n.startsWith("windows")) {
            return "windows";
        }
        if (n.startsWith("mac")) {
            return "darwin";
        }
        if (n.contains("bsd")) {
            return n.contains("free") ? "freebsd" : n.contains("net") ? "netbsd" : "openbsd";
        }
        if (n.startsWith("aix")) {
            return "aix";
        }
        if (n.startsWith("sunos") || n.startsWith("solaris")) {
            return "solaris";
        }
        return n.isEmpty() ? "unknown" : n;
    }

    private static String hostArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "x86";
            case "arm" -> "arm32";
            case "ppc64", "ppc64le" -> "ppc64";
            case "s390x" -> "s390x";
            default -> osArch;
        };
    }

    /**
     * A random (version 4) UUID from a non-cryptographic generator: {@link UUID#randomUUID} would initialise
     * SecureRandom and the security providers (hundreds of classes, the largest part of the export start-up) for an id
     * that only has to be unique, not secret.
     */
    static UUID instanceId() {
        final java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        final long msb = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        final long lsb = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(msb, lsb);
    }
}
