package io.hotpath.benchmarks.footprint;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * A trivial agent for benchmarks/footprint.sh that does nothing but, when given a jar as its argument, append that
 * jar to the bootstrap class path, as hotpath's premain does with its bootstrap jar. The JVM then shares (CDS) only
 * the boot loader's classes, so the difference between the {@code empty-agent} and {@code boot-append} setups is what
 * that one call costs a program, apart from everything else hotpath does.
 */
public final class BootAppendAgent {
    private BootAppendAgent() {}

    public static void premain(String jar, Instrumentation inst) throws IOException {
        if (jar != null && !jar.isEmpty()) {
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
        }
    }
}
