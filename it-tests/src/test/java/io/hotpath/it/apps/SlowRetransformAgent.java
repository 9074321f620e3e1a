package io.hotpath.it.apps;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Another agent whose transformer is slow when a JDK socket class is retransformed, as a big agent's matchers are
 * beside ours on a busy machine (the OpenTelemetry Java agent's): sleeps {@code ms} (the agent argument, default 300)
 * in every retransformation of a {@code sun/nio/ch/} class. Changes nothing.
 */
public final class SlowRetransformAgent {
    private SlowRetransformAgent() {}

    public static void premain(String args, Instrumentation inst) {
        final long ms = args == null || args.isBlank() ? 300 : Long.parseLong(args);
        inst.addTransformer(
                new ClassFileTransformer() {
                    @Override
                    public byte[] transform(
                            ClassLoader loader,
                            String className,
                            Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain,
                            byte[] classfileBuffer) {
                        if (classBeingRedefined != null && className != null && className.startsWith("sun/nio/ch/")) {
                            try {
                                Thread.sleep(ms);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return null;
                    }
                },
                true);
    }
}
