package io.hotpath.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's internals and its relocated dependencies from the {@code inst/} folder of the agent jar, where
 * they are stored as {@code .classdata} so that no other class loader can find them. Parent-first to the platform
 * loader, which reaches the JDK and the bootstrap core (the agent jar is on the bootstrap search path).
 */
final class IsolatingClassLoader extends ClassLoader {
    private static final String PREFIX = "inst/";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;

    IsolatingClassLoader(File jarFile, ClassLoader parent) throws IOException {
        super("hotpath", parent);
        this.jar = new JarFile(jarFile, false);
        final URL location = jarFile.toURI().toURL();
        this.jarUrl = "jar:" + location.toExternalForm() + "!/";
        this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        final JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        final byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            // The exact size is known from the entry: one array of it, not readAllBytes' buffers and final copy
            // (which doubled the bytes allocated at start-up, and so the heap touched).
            final long size = entry.getSize();
            if (size >= 0 && size <= Integer.MAX_VALUE) {
                bytes = new byte[(int) size];
                if (in.readNBytes(bytes, 0, bytes.length) != bytes.length) {
                    throw new IOException("truncated entry " + entry.getName());
                }
            } else {
                bytes = in.readAllBytes();
            }
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        final int dot = name.lastIndexOf('.');
        if (dot > 0) {
            final String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException raced) {
                    // defined by a parallel load of another class of the same package
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    /**
     * Resources under {@code inst/}. A class file is asked for by its {@code .class} name (Byte Buddy reads advice
     * classes this way) and served from its {@code .classdata} entry.
     */
    @Override
    protected URL findResource(String name) {
        String stored = PREFIX + name;
        if (jar.getJarEntry(stored) == null) {
            if (!name.endsWith(".class")) {
                return null;
            }
            stored = PREFIX + name.substring(0, name.length() - ".class".length()) + ".classdata";
            if (jar.getJarEntry(stored) == null) {
                return null;
            }
        }
        try {
            return new URL(jarUrl + stored);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        final URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }
}
