package io.hotpath.agent.instrument.aeron;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.hotpath.agent.instrument.advice.ProbeIdMapping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Counts a refused offer or claim where Aeron decides the refusal, so the successful path of the offer runs exactly
 * Aeron's bytecode: no exit advice testing every result, no extra locals, the same inlining. Aeron 1.x decides a
 * refusal in a few places, each on a path a successful offer never takes:
 *
 * <ul>
 *   <li>{@code backPressureStatus(long, int)}, called only when the position reached the limit: back-pressured, not
 *       connected or max position exceeded, counted right after the call returns;
 *   <li>{@code return ADMIN_ACTION} (and any other refusal constant returned directly), when a
 *       {@code ConcurrentPublication} sees a term rotation in progress: counted before the return;
 *   <li>the closed check, {@code if (!isClosed)}: its branch to the shared {@code return newPosition} is sent through
 *       a block appended to the method that counts {@code CLOSED} and jumps on to that return, so the open path is
 *       untouched;
 *   <li>the end of a term ({@code handleEndOfLog}), inside the append and claim methods: admin action, or max
 *       position exceeded when the next term would pass it. {@code ConcurrentPublication} returns the outcome itself;
 *       {@code ExclusivePublication} decides it later from its term's begin position, so the same test is made here.
 * </ul>
 *
 * The append methods serve the offers only and {@code claim} serves {@code tryClaim} only, so each site knows
 * its operation probe. The stream is the publication's {@link StreamField} when its class has it, else the publication
 * itself for the identity table ({@link io.hotpath.bootstrap.ipc.Publications#refused(long, int, Object)}).
 */
final class RefusalSites implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper {
    private static final String PUBLICATIONS = "io/hotpath/bootstrap/ipc/Publications";

    /** Aeron's refusal codes, {@code NOT_CONNECTED} (-1) to {@code MAX_POSITION_EXCEEDED} (-5). */
    private static final long MOST_NEGATIVE_REFUSAL = -5L;

    private static final long CLOSED = -4L;

    /** What the inserted code adds to Aeron's operand stack at most: two longs, or a long and two ints. */
    private static final int EXTRA_STACK = 4;

    private final ProbeIdMapping operation;
    private final boolean field;

    private RefusalSites(ProbeIdMapping operation, boolean field) {
        this.operation = operation;
        this.field = field;
    }

    /**
     * The refusal sites of a concrete publication class: the offers and their append methods count on {@code offer},
     * {@code tryClaim} and {@code claim} on {@code claim}; {@code field}: the class has the {@link StreamField}.
     */
    static AsmVisitorWrapper of(
            ElementMatcher<? super MethodDescription> offers,
            ElementMatcher<? super MethodDescription> claims,
            ProbeIdMapping offer,
            ProbeIdMapping claim,
            boolean field) {
        return new AsmVisitorWrapper.ForDeclaredMethods()
                // Aeron's own helpers, private in ConcurrentPublication, package-private (claim) in
                // ExclusivePublication, and called only by the offers and tryClaim of their class.
                .method(
                        named("appendUnfragmentedMessage")
                                .or(named("appendFragmentedMessage"))
                                .or(offers),
                        new RefusalSites(offer, field))
                .method(named("claim").or(claims), new RefusalSites(claim, field))
                // The closed branch's new block needs the frame of the return it jumps to, in full.
                .readerFlags(ClassReader.EXPAND_FRAMES);
    }

    @Override
    public MethodVisitor wrap(
            TypeDescription instrumentedType,
            MethodDescription instrumentedMethod,
            MethodVisitor methodVisitor,
            Implementation.Context implementationContext,
            TypePool typePool,
            int writerFlags,
            int readerFlags) {
        final int id = operation.probe(instrumentedType, instrumentedMethod).id();
        return new Sites(methodVisitor, instrumentedType, id, field);
    }

    /** Whether {@code type} or a superclass declares the field {@code name} of type {@code descriptor}. */
    static boolean hasField(TypeDescription type, String name, String descriptor) {
        for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
            for (FieldDescription f : t.getDeclaredFields()) {
                if (f.getName().equals(name) && f.getDescriptor().equals(descriptor)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Inserts the counting calls into one method; remembers nothing across methods. */
    private static final class Sites extends MethodVisitor {
        private final String owner;
        private final int id;
        private final boolean field;
        /** Whether the term-end test can read what it needs (an Aeron that still has these fields). */
        private final boolean termEndReadable;

        /** The last instruction pushed a refusal constant: a {@code LRETURN} now returns a refusal. */
        private boolean refusalConstant;

        /** The last instruction read {@code isClosed}: an {@code IFNE} now branches on a closed publication. */
        private boolean closedRead;

        /** Closed branches redirected: the new block's label and the return it jumps on to. */
        private final List<Label[]> closedBranches = new ArrayList<>();

        /** Labels visited since the last instruction, and the full frame found at each. */
        private final List<Label> labels = new ArrayList<>();

        private final Map<Label, Object[][]> frames = new HashMap<>();

        Sites(MethodVisitor mv, TypeDescription type, int id, boolean field) {
            super(OpenedClassReader.ASM_API, mv);
            this.owner = type.getInternalName();
            this.id = id;
            this.field = field;
            this.termEndReadable = hasField(type, "termBeginPosition", "J")
                    && hasField(type, "termBufferLength", "I")
                    && hasField(type, "maxPossiblePosition", "J");
        }

        private void instruction() {
            refusalConstant = false;
            closedRead = false;
            labels.clear();
        }

        /** With a refusal (a long) on top of the stack: counts it and leaves it there. */
        private void countTop() {
            super.visitInsn(Opcodes.DUP2);
            count();
        }

        /** With a refusal (a long) on top of the stack: counts it and consumes it. */
        private void count() {
            super.visitLdcInsn(id);
            super.visitVarInsn(Opcodes.ALOAD, 0);
            if (field) {
                super.visitFieldInsn(Opcodes.GETFIELD, owner, StreamField.NAME, "I");
                super.visitMethodInsn(Opcodes.INVOKESTATIC, PUBLICATIONS, "refused", "(JII)V", false);
            } else {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, PUBLICATIONS, "refused", "(JILjava/lang/Object;)V", false);
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            instruction();
            super.visitLdcInsn(value);
            refusalConstant = value instanceof Long l && l >= MOST_NEGATIVE_REFUSAL && l < 0L;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.LRETURN && refusalConstant) {
                countTop();
            }
            instruction();
            super.visitInsn(opcode);
        }

        @Override
        public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
            instruction();
            super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
            closedRead = opcode == Opcodes.GETFIELD && name.equals("isClosed") && descriptor.equals("Z");
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (opcode == Opcodes.IFNE && closedRead) {
                final Label closed = new Label();
                closedBranches.add(new Label[] {closed, label});
                instruction();
                super.visitJumpInsn(opcode, closed);
                return;
            }
            instruction();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitMethodInsn(int opcode, String methodOwner, String name, String descriptor, boolean itf) {
            instruction();
            super.visitMethodInsn(opcode, methodOwner, name, descriptor, itf);
            if (name.equals("backPressureStatus") && descriptor.equals("(JI)J")) {
                countTop();
            } else if (name.equals("handleEndOfLog") && descriptor.endsWith(")J")) {
                countTop();
            } else if (name.equals("handleEndOfLog") && descriptor.endsWith(")I") && termEndReadable) {
                // The int result (the term's end, -1) stays for Aeron; the outcome is what newPosition will return.
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, "termBeginPosition", "J");
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, "termBufferLength", "I");
                super.visitInsn(Opcodes.I2L);
                super.visitInsn(Opcodes.LADD);
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, "maxPossiblePosition", "J");
                super.visitMethodInsn(Opcodes.INVOKESTATIC, PUBLICATIONS, "termEnded", "(JJ)J", false);
                count();
            }
        }

        @Override
        public void visitLabel(Label label) {
            refusalConstant = false;
            closedRead = false;
            super.visitLabel(label);
            labels.add(label);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            super.visitFrame(type, numLocal, local, numStack, stack);
            final Object[][] frame = {
                Arrays.copyOf(local, numLocal), stack == null ? new Object[0] : Arrays.copyOf(stack, numStack)
            };
            for (Label l : labels) {
                frames.put(l, frame);
            }
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
            instruction();
            super.visitVarInsn(opcode, varIndex);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            instruction();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            instruction();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            instruction();
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... targets) {
            instruction();
            super.visitTableSwitchInsn(min, max, dflt, targets);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] targets) {
            instruction();
            super.visitLookupSwitchInsn(dflt, keys, targets);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            instruction();
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }

        @Override
        public void visitIincInsn(int varIndex, int increment) {
            instruction();
            super.visitIincInsn(varIndex, increment);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            for (Label[] branch : closedBranches) {
                final Object[][] frame = frames.get(branch[1]);
                if (frame == null) {
                    // A class file without frames: the block cannot be added, so the transformation fails and the class
                    // is defined as it was.
                    throw new IllegalStateException("no frame at the closed branch's target");
                }
                super.visitLabel(branch[0]);
                super.visitFrame(Opcodes.F_NEW, frame[0].length, frame[0], frame[1].length, frame[1]);
                super.visitLdcInsn(CLOSED);
                count();
                super.visitJumpInsn(Opcodes.GOTO, branch[1]);
            }
            super.visitMaxs(maxStack + EXTRA_STACK, maxLocals);
        }
    }
}
