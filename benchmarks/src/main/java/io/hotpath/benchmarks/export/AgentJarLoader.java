package io.hotpath.benchmarks.export;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the exporter and its relocated OpenTelemetry SDK from the built agent jar's {@code inst/*.classdata}, as the
 * agent's own isolated loader does, so that the harness measures exactly the code that ships. Everything else — the
 * JDK and the recording core ({@code io.hotpath.bootstrap}) — comes from the parent, so probes the harness registers
 * are the ones the exporter reads.
 */
final class AgentJarLoader extends ClassLoader {
    private static final String PREFIX = "inst/";

    private final JarFile jar;

    AgentJarLoader(File agentJar, ClassLoader parent) throws IOException {
        super("hotpath-export-bench", parent);
        this.jar = new JarFile(agentJar, false);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                // Child-first for what only the agent jar has; the harness's class path holds an unshaded agent module
                // whose classes must not be mixed in.
                c = name.startsWith("io.hotpath.exporter.") || name.startsWith("io.hotpath.shaded.")
                        ? findClass(name)
                        : getParent().loadClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        final JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        try (InputStream in = jar.getInputStream(entry)) {
            final byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    @Override
    protected java.net.URL findResource(String name) {
        final JarEntry entry = jar.getJarEntry(PREFIX + name);
        if (entry == null) {
            return null;
        }
        try {
            return new java.net.URL("jar:" + new File(jar.getName()).toURI().toURL() + "!/" + PREFIX + name);
        } catch (java.net.MalformedURLException e) {
            return null;
        }
    }
}
