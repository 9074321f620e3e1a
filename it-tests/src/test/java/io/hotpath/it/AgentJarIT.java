package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The built agent jar as shipped: which relocated libraries it carries, that no class refers to a relocated package
 * the jar does not carry, and that the one ignore list survived the shading (the relocation rewrites string constants
 * that start with a relocated package name).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentJarIT {
    private static final String SHADED = "inst/io/hotpath/shaded/";

    /** A relocated JCTools class named in a class file's constant pool. */
    private static final Pattern JCTOOLS_CLASS = Pattern.compile("(io/hotpath/shaded/org/jctools/[A-Za-z0-9_/$]+)");

    @Test
    void carriesOnlyTheRelocatedLibrariesItUses() throws IOException {
        final TreeSet<String> roots = new TreeSet<>();
        final List<String> dangling = new ArrayList<>();
        final Map<String, String> jctoolsReferences = new TreeMap<>();
        try (JarFile jar = new JarFile(Launch.AGENT_JAR.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                final JarEntry entry = e.nextElement();
                final String name = entry.getName();
                if (name.startsWith(SHADED) && name.endsWith(".classdata")) {
                    final String rest = name.substring(SHADED.length());
                    final String[] parts = rest.split("/");
                    roots.add(
                            parts[0].equals("io")
                                            || parts[0].equals("net")
                                            || parts[0].equals("org")
                                            || parts[0].equals("com")
                                    ? parts[0] + "/" + parts[1]
                                    : parts[0]);
                }
                if (name.endsWith(".classdata") || name.endsWith(".class")) {
                    final String text;
                    try (InputStream in = jar.getInputStream(entry)) {
                        text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    }
                    for (String gone : List.of("shaded/org/agrona", "shaded.org.agrona")) {
                        if (text.contains(gone)) {
                            dangling.add(name + " -> " + gone);
                        }
                    }
                    final Matcher m = JCTOOLS_CLASS.matcher(text);
                    while (m.find()) {
                        if (!m.group(1).endsWith("/package")) { // a package-info names its package
                            jctoolsReferences.put(m.group(1), name);
                        }
                    }
                }
            }
            // JCTools is copied class by class (agent/pom.xml): every JCTools class any class refers to is carried.
            for (Map.Entry<String, String> ref : jctoolsReferences.entrySet()) {
                if (jar.getEntry("inst/" + ref.getKey() + ".classdata") == null) {
                    dangling.add(ref.getValue() + " -> " + ref.getKey());
                }
            }
        }
        assertThat(roots)
                .containsExactly(
                        "com/google", // protobuf, for the Prometheus scrape's protobuf format
                        "io/opentelemetry",
                        "io/prometheus", // the Prometheus client's model and formats, for the scrape
                        "kotlin",
                        "net/bytebuddy",
                        "okhttp3",
                        "okio",
                        "org/HdrHistogram",
                        "org/jctools"); // the log's queue from application threads to the agent's
        assertThat(dangling)
                .as("references to relocated packages the jar does not carry")
                .isEmpty();
    }

    @Test
    void theIgnoreListNamesTheApplicationsPackagesNotOurRelocatedCopies() throws Exception {
        try (JarFile jar = new JarFile(Launch.AGENT_JAR.toFile())) {
            final byte[] bytes;
            try (InputStream in =
                    jar.getInputStream(jar.getEntry("inst/io/hotpath/agent/instrument/ClassFilter.classdata"))) {
                bytes = in.readAllBytes();
            }
            final Class<?> filter = new ClassLoader(null) {
                Class<?> define() {
                    return defineClass("io.hotpath.agent.instrument.ClassFilter", bytes, 0, bytes.length);
                }
            }.define();
            final Method never = filter.getMethod("neverRewritten", String.class);
            for (String ignored : List.of(
                    "net.bytebuddy.ByteBuddy",
                    "net/bytebuddy/ByteBuddy",
                    "io.opentelemetry.javaagent.bootstrap.AgentClassLoader",
                    "io/opentelemetry/javaagent/tooling/AgentInstaller",
                    "io.hotpath.shaded.okhttp3.OkHttpClient",
                    "com.newrelic.agent.Agent",
                    "org.glowroot.agent.MainEntryPoint",
                    "java.util.concurrent.ArrayBlockingQueue")) {
                assertThat(never.invoke(null, ignored)).as(ignored).isEqualTo(true);
            }
            for (String rewritable :
                    List.of("com.acme.Broadcaster", "okhttp3.OkHttpClient", "io.opentelemetry.sdk.OpenTelemetrySdk")) {
                assertThat(never.invoke(null, rewritable)).as(rewritable).isEqualTo(false);
            }
        }
    }
}
