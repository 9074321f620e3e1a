package io.hotpath.it.apps;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Another agent beside hotpath whose transformer is slow, as a busy machine or a big agent's matchers are (the
 * OpenTelemetry Java agent's). Changes nothing. Agent argument {@code <what>:<ms>}:
 *
 * <ul>
 *   <li>{@code build:<ms>} sleeps in the definition of every class of hotpath's relocated Byte Buddy, which the advice
 *       build loads by the hundred: the build takes seconds;
 *   <li>{@code retransform:<ms>} sleeps in every retransformation of a {@code sun/nio/ch/} class: each swap of the
 *       socket advice is slow.
 * </ul>
 */
public final class SlowAgent {
    static final String BYTE_BUDDY = "io/hotpath/shaded/net/bytebuddy/";

    private SlowAgent() {}

    public static void premain(String args, Instrumentation inst) {
        final String[] what = args.split(":");
        final boolean build = what[0].equals("build");
        final long ms = Long.parseLong(what[1]);
        inst.addTransformer(
                new ClassFileTransformer() {
                    @Override
                    public byte[] transform(
                            ClassLoader loader,
                            String className,
                            Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain,
                            byte[] classfileBuffer) {
                        final boolean slow = className != null
                                && (build
                                        ? classBeingRedefined == null && className.startsWith(BYTE_BUDDY)
                                        : classBeingRedefined != null && className.startsWith("sun/nio/ch/"));
                        if (slow) {
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
