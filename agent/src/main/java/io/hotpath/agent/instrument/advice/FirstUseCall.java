package io.hotpath.agent.instrument.advice;

import io.hotpath.bootstrap.ipc.FirstUse;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Puts {@code aload_0; invokestatic FirstUse.constructed(Object)} (or {@code constructedOnDescriptor}, see
 * {@link #DESCRIPTOR}) before every return of every constructor of a class
 * file: the stand-in for a target's advice while only the agent's own threads have used the class (see
 * {@link FirstUse}). A library's target defined before its advice gets {@code FirstUse.setUpBeforeAdvice} the same
 * way where its advice sets an instance up ({@link #insertSetUp}). Only ASM is loaded for it, a few dozen classes, not Byte Buddy's type pool and matchers.
 *
 * <p>At a constructor's return the operand stack is empty and {@code this} is initialised; the call needs one slot,
 * and every constructor already needed one for its {@code super} call, so the maximum stack and the stack map frames
 * (no new branch target) stay valid as written; nothing is computed.
 */
final class FirstUseCall {
    private static final String OWNER = FirstUse.class.getName().replace('.', '/');

    /**
     * A constructor taking a file descriptor wraps a socket the JDK already has: in {@code SocketChannelImpl}, the
     * connection {@code accept} made, which is named by its listening address, not its peer.
     */
    private static final String DESCRIPTOR = "Ljava/io/FileDescriptor;";

    private FirstUseCall() {}

    /** The class file with the call added before each constructor's returns. */
    static byte[] insert(byte[] classfile) {
        return insert(classfile, "<init>", false);
    }

    /**
     * The class file with {@code aload_0; invokestatic FirstUse.setUpBeforeAdvice(Object)} before each return of every
     * method named {@code site} ({@code <init>} for constructors, or an instance method returning void): where a
     * library's advice sets an instance up once, so that the agent can set up later an instance that went through it
     * before the advice was in place.
     */
    static byte[] insertSetUp(byte[] classfile, String site) {
        return insert(classfile, site, true);
    }

    private static byte[] insert(byte[] classfile, String site, boolean setUp) {
        final ClassReader reader = OpenedClassReader.of(classfile);
        final ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(
                new ClassVisitor(OpenedClassReader.ASM_API, writer) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        final MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                        if (!site.equals(name) || (access & Opcodes.ACC_STATIC) != 0) {
                            return mv;
                        }
                        final String call = setUp
                                ? "setUpBeforeAdvice"
                                : descriptor.contains(DESCRIPTOR) ? "constructedOnDescriptor" : "constructed";
                        return new MethodVisitor(OpenedClassReader.ASM_API, mv) {
                            @Override
                            public void visitInsn(int opcode) {
                                if (opcode == Opcodes.RETURN) {
                                    super.visitVarInsn(Opcodes.ALOAD, 0);
                                    super.visitMethodInsn(
                                            Opcodes.INVOKESTATIC, OWNER, call, "(Ljava/lang/Object;)V", false);
                                }
                                super.visitInsn(opcode);
                            }

                            @Override
                            public void visitMaxs(int maxStack, int maxLocals) {
                                // A method other than a constructor may use no stack at all; the call needs one slot.
                                super.visitMaxs(Math.max(1, maxStack), maxLocals);
                            }
                        };
                    }
                },
                0);
        return writer.toByteArray();
    }
}
