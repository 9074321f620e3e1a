package io.hotpath.agent.instrument.field;

import io.hotpath.agent.instrument.ClassFilter;
import io.hotpath.agent.instrument.ConstantPoolScanner;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.optimize.tunable.TunableSpec;
import java.lang.instrument.ClassFileTransformer;
import java.lang.reflect.Modifier;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Redirects reads of declared tunable fields ({@code hotpath.tunables}) to {@link io.hotpath.bootstrap.Tunables}.
 * Each {@code GETFIELD}/{@code GETSTATIC} of a declared field becomes the same instruction followed by
 *
 * <pre>
 *   ldc id
 *   invokestatic io/hotpath/bootstrap/Tunables.readInt(II)I      (readLong(JI)J, readBoolean(ZI)Z)
 * </pre>
 *
 * which returns the field's own value while the tunable is inactive and the tunable's value once it is set. The field
 * is still read (one load, usually from a line already in cache), so each instance keeps its own value until the
 * optimizer first changes the tunable, and the first value read is captured as the original for rollback. No branch
 * is added, so stack map frames stay valid as they are and already-loaded classes can be retransformed; the stack
 * grows by one slot.
 *
 * <p>Covered: reads whose owner is the declaring class, in the declaring class itself (all methods, nested classes
 * reading through nest-mate access included) and in every other class of the same package (same package name; the
 * constant pool is checked first so other classes cost a few microseconds). Not covered: reads through reflection,
 * method or var handles, JNI, {@code Unsafe}, and reads written against a subclass ({@code sub.field} compiles to an
 * owner of the subclass) or from classes of other packages (a {@code protected} or {@code public} field). Writes are
 * left alone: while a tunable is active the application's own writes to the field are stored but not seen by
 * rewritten reads.
 *
 * <p>Why ASM here rather than Byte Buddy's {@code MemberSubstitution}: the substitute must still read the real
 * (usually private) field to keep per-instance originals, and a bootstrap method cannot do that without reflection,
 * while inlined bytecode in the declaring class can. The transform is also the same two-line pattern as
 * {@link io.hotpath.agent.instrument.jdk.ConstructionSiteTransformer}: constant-pool pre-check, no frame
 * recomputation (which would need class loading for common supertypes), and a failure leaves the class unchanged and
 * is logged once.
 */
public final class FieldTunableTransformer implements ClassFileTransformer {
    static final String TUNABLES = "io/hotpath/bootstrap/Tunables";

    /** Told when a declared field is found valid in its declaring class, or rejected. */
    public interface Listener {
        void resolved(TunableSpec spec, boolean isStatic, boolean isFinal, char type);

        void rejected(TunableSpec spec, String problem);
    }

    private final ClassFilter filter;
    private final Listener listener;
    /** Package internal name with trailing slash, e.g. {@code com/acme/} → declaring classes in it. */
    private final Map<String, Set<String>> ownersByPackage = new HashMap<>();
    /** {@code com/acme/Broadcaster.batchSize} → spec. */
    private final Map<String, TunableSpec> byField = new HashMap<>();

    private final Set<Integer> rejected = ConcurrentHashMap.newKeySet();
    private final AtomicLong rewrittenReads = new AtomicLong();
    private final AtomicLong rewrittenClasses = new AtomicLong();

    public FieldTunableTransformer(List<TunableSpec> specs, ClassFilter filter, Listener listener) {
        this.filter = filter;
        this.listener = listener;
        for (TunableSpec s : specs) {
            final String owner = s.internalClassName();
            final int slash = owner.lastIndexOf('/');
            ownersByPackage
                    .computeIfAbsent(owner.substring(0, slash + 1), k -> new HashSet<>())
                    .add(owner);
            byField.put(owner + "." + s.field(), s);
        }
    }

    /** Reads rewritten so far, in all classes. */
    long rewrittenReads() {
        return rewrittenReads.get();
    }

    /** Classes changed so far. */
    public long rewrittenClasses() {
        return rewrittenClasses.get();
    }

    /** The internal names of all declaring classes, for retransforming those already loaded. */
    public Set<String> declaringClasses() {
        final Set<String> out = new HashSet<>();
        ownersByPackage.values().forEach(out::addAll);
        return out;
    }

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain domain,
            byte[] classFile) {
        try {
            if (className == null) {
                return null;
            }
            final int slash = className.lastIndexOf('/');
            final String pkg = className.substring(0, slash + 1);
            final Set<String> owners = ownersByPackage.get(pkg);
            if (owners == null
                    || !filter.acceptsDeclared(className)
                    || !ConstantPoolScanner.mentionsAny(classFile, owners, pkg)) {
                return null;
            }
            return rewrite(className, classFile);
        } catch (Throwable t) {
            AgentLog.once(
                    AgentLog.Level.WARN,
                    "tunable-transform:" + className,
                    "left class " + className + " unchanged: could not rewrite its tunable field reads (" + t + ")");
            return null;
        }
    }

    /** Rewrites one class file; returns null when no read was rewritten. Visible for tests. */
    public byte[] rewrite(String className, byte[] classFile) {
        final ClassReader reader = new ClassReader(classFile);
        final ClassWriter writer = new ClassWriter(reader, 0);
        final Rewriter rewriter = new Rewriter(writer, className);
        reader.accept(rewriter, 0);
        if (rewriter.reads == 0) {
            return null;
        }
        rewrittenReads.addAndGet(rewriter.reads);
        rewrittenClasses.incrementAndGet();
        AgentLog.debug("tunable reads rewritten in " + className.replace('/', '.') + ": " + rewriter.reads);
        return writer.toByteArray();
    }

    /**
     * Why a field of JVM type descriptor {@code desc} cannot carry {@code spec}, or null when it can. Visible for
     * tests.
     */
    static String typeProblem(TunableSpec spec, String desc) {
        final String type = typeName(desc);
        switch (desc) {
            case "Z" -> {
                if (spec.role().needsBounds()) {
                    return "it is a boolean; " + spec.role().word() + " needs an int or long field";
                }
                if (spec.bounded()) {
                    return "it is a boolean; a boolean tunable takes no [min..max]";
                }
                return null;
            }
            case "I", "J" -> {
                if (spec.role().isBoolean()) {
                    return "it is " + type + "; " + spec.role().word() + " needs a boolean field";
                }
                if (!spec.bounded()) {
                    return "it is " + type + "; a numeric tunable needs bounds, e.g. :"
                            + spec.role().word() + "[1..64]";
                }
                if (desc.equals("I") && (spec.min() < Integer.MIN_VALUE || spec.max() > Integer.MAX_VALUE)) {
                    return "bounds [" + spec.min() + ".." + spec.max() + "] do not fit an int field";
                }
                return null;
            }
            default -> {
                return "it is " + type + "; a tunable field must be int, long or boolean";
            }
        }
    }

    private static String typeName(String desc) {
        return switch (desc) {
            case "Z" -> "boolean";
            case "I" -> "int";
            case "J" -> "long";
            case "B" -> "byte";
            case "S" -> "short";
            case "C" -> "char";
            case "F" -> "float";
            case "D" -> "double";
            default ->
                desc.startsWith("L")
                        ? desc.substring(desc.lastIndexOf('/') + 1, desc.length() - 1)
                                .replace(';', ' ')
                        : desc;
        };
    }

    private void reject(TunableSpec spec, String problem) {
        if (rejected.add(spec.id())) {
            final String message = "hotpath.tunables entry " + spec.name() + "=" + spec.target() + " rejected: "
                    + problem + "; it is not tuned";
            AgentLog.warn(message);
            listener.rejected(spec, message);
        }
    }

    private final class Rewriter extends ClassVisitor {
        final String className;
        final Map<String, TunableSpec> declaredHere = new HashMap<>();
        int reads;

        Rewriter(ClassVisitor next, String className) {
            super(Opcodes.ASM9, next);
            this.className = className;
            for (TunableSpec s : byField.values()) {
                if (s.internalClassName().equals(className)) {
                    declaredHere.put(s.field(), s);
                }
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            final TunableSpec spec = declaredHere.remove(name);
            if (spec != null) {
                checkDeclaration(spec, access, name, descriptor, value);
            }
            return super.visitField(access, name, descriptor, signature, value);
        }

        private void checkDeclaration(TunableSpec spec, int access, String name, String desc, Object value) {
            final boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            final boolean isFinal = (access & Opcodes.ACC_FINAL) != 0;
            final String where = spec.className() + "." + name;
            if (isFinal && value != null) {
                // A constant variable (JLS 4.12.4): javac copies its value into every use, so no read is left.
                reject(
                        spec,
                        where + " is a compile-time constant (" + Modifier.toString(access & 0x1f) + " "
                                + typeName(desc) + " " + name + " = " + value + "), which javac inlines into every"
                                + " use; initialise it from a non-constant expression to make it tunable");
                return;
            }
            final String problem = typeProblem(spec, desc);
            if (problem != null) {
                reject(spec, "field " + where + ": " + problem);
                return;
            }
            if (!rejected.contains(spec.id())) {
                listener.resolved(spec, isStatic, isFinal, desc.charAt(0));
            }
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            final MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            return new MethodVisitor(Opcodes.ASM9, next) {
                boolean rewrote;

                @Override
                public void visitFieldInsn(int opcode, String owner, String fname, String desc) {
                    super.visitFieldInsn(opcode, owner, fname, desc);
                    if (opcode != Opcodes.GETFIELD && opcode != Opcodes.GETSTATIC) {
                        return;
                    }
                    final TunableSpec spec = byField.get(owner + "." + fname);
                    if (spec == null || rejected.contains(spec.id()) || typeProblem(spec, desc) != null) {
                        return;
                    }
                    super.visitLdcInsn(spec.id());
                    final String method;
                    final String methodDesc;
                    switch (desc) {
                        case "I" -> {
                            method = "readInt";
                            methodDesc = "(II)I";
                        }
                        case "J" -> {
                            method = "readLong";
                            methodDesc = "(JI)J";
                        }
                        default -> {
                            method = "readBoolean";
                            methodDesc = "(ZI)Z";
                        }
                    }
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, TUNABLES, method, methodDesc, false);
                    rewrote = true;
                    reads++;
                }

                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    super.visitMaxs(rewrote ? maxStack + 1 : maxStack, maxLocals);
                }
            };
        }

        @Override
        public void visitEnd() {
            for (TunableSpec spec : declaredHere.values()) {
                reject(
                        spec,
                        "class " + spec.className() + " declares no field " + spec.field()
                                + " (name the class that declares it, not a subclass)");
            }
            declaredHere.clear();
            super.visitEnd();
        }
    }
}
