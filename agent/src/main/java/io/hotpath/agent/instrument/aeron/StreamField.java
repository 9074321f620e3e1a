package io.hotpath.agent.instrument.aeron;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * The field {@value #NAME} added to Aeron's concrete publications when their class is defined: the publication's
 * stream probe id plus one (0: none), written once by the constructor advice and read where a refusal is counted ({@link RefusalSites}), so a
 * refused offer finds its stream probe with one field read instead of an identity-hash lookup in a shared table.
 *
 * <p>A class can only change shape while it is being defined: a class already loaded when the advice is built (the
 * agent attached late, or a build that outlasted the definition) is retransformed, and a retransformation that adds a
 * field fails. Such a class gets the identity-table advice instead ({@link #addable}). A class defined with the field
 * keeps it: every later retransformation of it (an operator's toggle) must add it again, or the JVM refuses the new
 * class file for deleting a field.
 */
final class StreamField {
    static final String NAME = "hotpath$stream";

    /** Private (only advice inlined into the class itself reads it), synthetic, transient (never serialized). */
    static final int MODIFIERS = Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC | Opcodes.ACC_TRANSIENT;

    private StreamField() {}

    /** Binds an {@code int} advice parameter to the field, readable and (in the constructor's exit) writable. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Value {}

    /**
     * Whether the class may have the field: it is being defined now ({@code classBeingRedefined} null), or it was
     * defined with the field and is being retransformed.
     */
    static boolean addable(Class<?> classBeingRedefined) {
        if (classBeingRedefined == null) {
            return true;
        }
        for (java.lang.reflect.Field f : classBeingRedefined.getDeclaredFields()) {
            if (f.getName().equals(NAME)) {
                return true;
            }
        }
        return false;
    }

    /** Adds the field to the class file, unless it is there already. */
    static final class Adder extends AsmVisitorWrapper.AbstractBase {
        @Override
        public ClassVisitor wrap(
                TypeDescription instrumentedType,
                ClassVisitor classVisitor,
                Implementation.Context implementationContext,
                TypePool typePool,
                FieldList<FieldDescription.InDefinedShape> fields,
                MethodList<?> methods,
                int writerFlags,
                int readerFlags) {
            return new ClassVisitor(OpenedClassReader.ASM_API, classVisitor) {
                private boolean present;

                @Override
                public FieldVisitor visitField(
                        int access, String name, String descriptor, String signature, Object value) {
                    present |= NAME.equals(name);
                    return super.visitField(access, name, descriptor, signature, value);
                }

                @Override
                public void visitEnd() {
                    if (!present) {
                        final FieldVisitor fv = super.visitField(MODIFIERS, NAME, "I", null, null);
                        if (fv != null) {
                            fv.visitEnd();
                        }
                    }
                    super.visitEnd();
                }
            };
        }
    }

    /**
     * Resolves {@link Value} to the field of the instrumented class. The field is not in the class's description
     * (the {@link Adder} writes it into the class file), so it is described here by name, type and modifiers.
     */
    static final class Mapping implements Advice.OffsetMapping {
        @Override
        public Target resolve(
                TypeDescription instrumentedType,
                MethodDescription instrumentedMethod,
                Assigner assigner,
                Advice.ArgumentHandler argumentHandler,
                Sort sort) {
            return new Target.ForField.ReadWrite(new FieldDescription.Latent(
                    instrumentedType,
                    NAME,
                    MODIFIERS,
                    TypeDescription.ForLoadedType.of(int.class).asGenericType(),
                    List.of()));
        }
    }
}
