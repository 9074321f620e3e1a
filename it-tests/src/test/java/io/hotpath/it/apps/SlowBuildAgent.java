package io.hotpath.it.apps;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Another agent that makes hotpath's advice slow to build, as a busy machine or a big agent's transformer beside ours
 * does: sleeps {@code ms} (the agent argument, default 10) in the definition of every class of hotpath's relocated
 * Byte Buddy, which the build loads by the hundred. Changes nothing.
 */
public final class SlowBuildAgent {
    static final String BYTE_BUDDY = "io/hotpath/shaded/net/bytebuddy/";

    private SlowBuildAgent() {}

    public static void premain(String args, Instrumentation inst) {
        final long ms = args == null || args.isBlank() ? 10 : Long.parseLong(args);
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(
                    ClassLoader loader,
                    String className,
                    Class<?> classBeingRedefined,
                    ProtectionDomain protectionDomain,
                    byte[] classfileBuffer) {
                if (classBeingRedefined == null && className != null && className.startsWith(BYTE_BUDDY)) {
                    try {
                        Thread.sleep(ms);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return null;
            }
        });
    }
}
