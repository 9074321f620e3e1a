package io.hotpath.agent.instrument.jdk;

import io.hotpath.agent.instrument.ClassFilter;
import io.hotpath.agent.instrument.ConstantPoolScanner;
import io.hotpath.agent.instrument.ProbeNames;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.bootstrap.PathKind;
import io.hotpath.bootstrap.Probes;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites where application code creates a JDK queue or pool: {@code new ArrayBlockingQueue<>(n)} becomes
 * {@code new TrackedArrayBlockingQueue<>(n, 17)} and {@code Executors.newFixedThreadPool(4)} becomes
 * {@code TrackedExecutors.newFixedThreadPool(4, 18)}, where 17 and 18 are probe ids registered here, once per site,
 * and named after the field the result is stored in, the pool it is built for ({@code com.acme.Server.pool.queue})
 * or the site ({@code com.acme.Broadcaster.<init>:42}, {@code #2} for a second site on that line): see {@code nameSites}.
 *
 * <p>Two passes over the class: the first finds each {@code new} of a target type and pairs it with its constructor
 * call (nested constructions pair last-in first-out), checks the tracked twin has that constructor and notes a field
 * store right after; the second rewrites the pairs it approved. Only body instructions change, so this also works
 * when retransforming classes that are already loaded. Stack map frames stay valid: an uninitialized value is
 * identified by the label of its {@code new}, and the tracked type is a subtype of what frames declare.
 */
public final class ConstructionSiteTransformer implements ClassFileTransformer {
    private final TrackedTypes types;
    private final ClassFilter filter;
    private final ProbeNames names;
    private final boolean nameByField;
    private final Set<String> mentioned;
    private final AtomicLong rewrittenClasses = new AtomicLong();
    private final AtomicLong rewrittenSites = new AtomicLong();
    private final AtomicLong rewrittenSubclasses = new AtomicLong();

    public ConstructionSiteTransformer(TrackedTypes types, ClassFilter filter, ProbeNames names, boolean nameByField) {
        this.types = types;
        this.filter = filter;
        this.names = names;
        this.nameByField = nameByField;
        this.mentioned = types.mentionedNames();
    }

    /** How many classes were rewritten so far. */
    public long rewrittenClasses() {
        return rewrittenClasses.get();
    }

    /** How many classes that extend a JDK queue or pool were given the tracked twin as superclass so far. */
    long rewrittenSubclasses() {
        return rewrittenSubclasses.get();
    }

    /** How many construction sites were rewritten so far. */
    long rewrittenSites() {
        return rewrittenSites.get();
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
            if (!filter.accepts(className, loader == null)
                    || ClassFilter.agentLoader(loader)
                    || !ConstantPoolScanner.mentionsAny(classFile, mentioned, TrackedTypes.PREFIX)) {
                return null;
            }
            return rewrite(className, classFile, loader != null && keepsSuperclass(classBeingRedefined));
        } catch (Throwable t) {
            AgentLog.once(
                    AgentLog.Level.WARN,
                    "transform:" + className,
                    "left class " + className + " unchanged: could not rewrite it (" + t + ")");
            return null;
        }
    }

    /**
     * Whether giving the class its tracked superclass is allowed: when it is being defined, or when it is retransformed
     * after it was given one (retransformation starts again from the original bytes, and a loaded class cannot change
     * its superclass either way: the rewrite must be made again exactly). JDK classes (boot loader) keep theirs.
     */
    static boolean keepsSuperclass(Class<?> classBeingRedefined) {
        if (classBeingRedefined == null) {
            return true;
        }
        final Class<?> superclass = classBeingRedefined.getSuperclass();
        return superclass != null && superclass.getName().startsWith(TrackedTypes.TRACKED_PACKAGE);
    }

    /** Rewrites one class file; returns null when it has no site to rewrite. Visible for tests. */
    public byte[] rewrite(String className, byte[] classFile) {
        return rewrite(className, classFile, true);
    }

    /**
     * Rewrites one class file; returns null when there is nothing to rewrite.
     *
     * @param mayChangeSuperclass whether a class that directly extends a target type may be given the tracked twin as
     *     its superclass (only when it is being defined, not retransformed)
     */
    /** Makes {@code p} a probe of its module before any rewritten code holds its id (born off while that is off). */
    private static io.hotpath.bootstrap.Probe joined(io.hotpath.bootstrap.Probe p) {
        io.hotpath.bootstrap.ProbeModules.join(
                p,
                p.kind() == PathKind.EXECUTOR
                        ? io.hotpath.bootstrap.ProbeModules.EXECUTORS
                        : io.hotpath.bootstrap.ProbeModules.QUEUES);
        return p;
    }

    public byte[] rewrite(String className, byte[] classFile, boolean mayChangeSuperclass) {
        final ClassReader reader = new ClassReader(classFile);
        final Scan scan = new Scan(className);
        reader.accept(scan, 0);
        final Subclass sub = scan.subclass(mayChangeSuperclass);
        if (sub != null) {
            sub.probeId = joined(Probes.register(
                            names.apply(className.replace('/', '.')), sub.target.kind(), sub.target.dists()))
                    .id();
        }
        int approved = 0;
        for (List<Site> sites : scan.sitesByMethod.values()) {
            nameSites(className, sites);
            for (Site s : sites) {
                if (s.approved) {
                    s.probeId = joined(Probes.register(names.apply(s.name), s.kind, s.dists))
                            .id();
                    approved++;
                }
            }
        }
        if (approved == 0 && sub == null) {
            return null;
        }
        final ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new Rewrite(writer, scan.sitesByMethod, sub), 0);
        if (sub != null) {
            rewrittenSubclasses.incrementAndGet();
        }
        rewrittenClasses.incrementAndGet();
        rewrittenSites.addAndGet(approved);
        return writer.toByteArray();
    }

    /** One construction of a target type, or one call of an Executors factory. */
    private static final class Site {
        final String owner; // JDK type, or Executors for a factory call
        final String method;
        final int line;
        final PathKind kind;
        final int dists;
        final boolean factory;
        boolean approved;
        String field;
        int probeId;

        Site(String owner, String method, int line, PathKind kind, int dists, boolean factory) {
            this.owner = owner;
            this.method = method;
            this.line = line;
            this.kind = kind;
            this.dists = dists;
            this.factory = factory;
        }

        /** The pool whose constructor arguments built this queue, or null. */
        Site pool;
        /** The default name, before renames; set by nameSites. */
        String name;

        String siteName(String className) {
            return className.replace('/', '.') + "." + method + (line > 0 ? ":" + line : "");
        }
    }

    /**
     * Names the sites of one method, in the order their {@code new} (or factory call) appears.
     *
     * <ul>
     *   <li>A queue built among a pool's constructor arguments is that pool's work queue: {@code <pool name>.queue}.
     *   <li>An object stored in a field right away is named after the field; sites storing into the same field share
     *       that name (and probe) on purpose: the field is one role.
     *   <li>Otherwise the site: {@code class.method:line}. The second, third... site on the same line of the same
     *       method gets {@code #2}, {@code #3}..., so two constructions on one line never share a probe. The same
     *       source line copied into several methods (a field initializer into each constructor) keeps one name.
     * </ul>
     */
    private void nameSites(String className, List<Site> sites) {
        final Map<String, Integer> onLine = new HashMap<>();
        for (Site s : sites) {
            if (s.pool != null) {
                continue;
            }
            if (nameByField && s.field != null) {
                s.name = s.field;
            } else {
                final String site = s.siteName(className);
                final int nth = onLine.merge(site, 1, Integer::sum);
                s.name = nth == 1 ? site : site + "#" + nth;
            }
        }
        for (Site s : sites) {
            if (s.pool != null) {
                s.name = s.pool.name + ".queue";
            }
        }
    }

    /**
     * The pool hooks a subclass may override without calling {@code super}, since the JDK's do nothing: the tracked
     * twin counts task starts and ends in them, so an override that does not call {@code super} gets that call added
     * at its start (the JDK's own hook does nothing, so the only effect is the counting).
     */
    private static final Set<String> POOL_HOOKS = Set.of(
            "beforeExecute(Ljava/lang/Thread;Ljava/lang/Runnable;)V",
            "afterExecute(Ljava/lang/Runnable;Ljava/lang/Throwable;)V");

    /** A class that directly extends a target type and gets its tracked twin as superclass. */
    private static final class Subclass {
        final String jdkSuper;
        final TrackedTypes.Target target;
        final Set<Integer> hooksToCall;
        int probeId;

        Subclass(String jdkSuper, TrackedTypes.Target target, Set<Integer> hooksToCall) {
            this.jdkSuper = jdkSuper;
            this.target = target;
            this.hooksToCall = hooksToCall;
        }
    }

    /** First pass: find and approve sites, per method in visiting order. */
    private final class Scan extends ClassVisitor {
        final String className;
        final Map<Integer, List<Site>> sitesByMethod = new HashMap<>();
        int methodIndex = -1;
        String superName;
        /** Descriptors of the superclass constructors this class calls ({@code super(...)}). */
        final Set<String> superInits = new HashSet<>();
        /** Methods (by index) that override a pool hook without calling the superclass's. */
        final Set<Integer> hooksWithoutSuper = new HashSet<>();

        Scan(String className) {
            super(Opcodes.ASM9);
            this.className = className;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] itfs) {
            this.superName = superName;
        }

        /** The superclass rewrite for this class, or null when it does not directly extend a target or cannot. */
        Subclass subclass(boolean mayChangeSuperclass) {
            final TrackedTypes.Target t = superName == null ? null : types.target(superName);
            if (t == null || superInits.isEmpty()) {
                return null;
            }
            if (!mayChangeSuperclass || !t.constructors().containsAll(superInits)) {
                AgentLog.once(
                        AgentLog.Level.INFO,
                        "subclass:" + className,
                        className.replace('/', '.') + " extends " + superName.replace('/', '.')
                                + " but is not measured: "
                                + (mayChangeSuperclass
                                        ? "it calls a constructor the tracked class does not mirror"
                                        : "it was loaded before the agent could change its superclass"));
                return null;
            }
            return new Subclass(superName, t, t.kind() == PathKind.EXECUTOR ? Set.copyOf(hooksWithoutSuper) : Set.of());
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            methodIndex++;
            final int thisMethod = methodIndex;
            final List<Site> sites = new ArrayList<>();
            sitesByMethod.put(methodIndex, sites);
            final boolean hook = POOL_HOOKS.contains(name + descriptor)
                    && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_STATIC | Opcodes.ACC_NATIVE)) == 0;
            if (hook) {
                hooksWithoutSuper.add(thisMethod);
            }
            return new MethodVisitor(Opcodes.ASM9) {
                final Map<String, Deque<Site>> open = new HashMap<>();
                /** Every target construction begun and not finished yet, innermost first. */
                final Deque<Site> enclosing = new ArrayDeque<>();

                int line = -1;
                Site justBuilt;

                @Override
                public void visitLineNumber(int lineNumber, Label start) {
                    line = lineNumber;
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    justBuilt = null;
                    final TrackedTypes.Target t = opcode == Opcodes.NEW ? types.target(type) : null;
                    if (t != null) {
                        final Site s = new Site(type, name, line, t.kind(), t.dists(), false);
                        sites.add(s);
                        open.computeIfAbsent(type, k -> new ArrayDeque<>()).push(s);
                        enclosing.push(s);
                    }
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String mname, String desc, boolean itf) {
                    justBuilt = null;
                    if (hook && opcode == Opcodes.INVOKESPECIAL && (mname + desc).equals(name + descriptor)) {
                        hooksWithoutSuper.remove(thisMethod);
                    }
                    if (opcode == Opcodes.INVOKESPECIAL && mname.equals("<init>")) {
                        final Deque<Site> pending = open.get(owner);
                        if ((pending == null || pending.isEmpty())
                                && name.equals("<init>")
                                && owner.equals(superName)) {
                            superInits.add(desc);
                        }
                        if (pending != null && !pending.isEmpty()) {
                            final Site s = pending.pop();
                            s.approved = types.target(owner).constructors().contains(desc);
                            enclosing.remove(s);
                            final Site outer = enclosing.peek();
                            if (s.kind == PathKind.QUEUE && outer != null && outer.kind == PathKind.EXECUTOR) {
                                s.pool = outer;
                            }
                            justBuilt = s;
                        }
                    } else if (opcode == Opcodes.INVOKESTATIC
                            && owner.equals(TrackedTypes.EXECUTORS)
                            && types.supportsFactory(mname, desc)) {
                        final Site s = new Site(owner, name, line, PathKind.EXECUTOR, executorDists(), true);
                        s.approved = true;
                        sites.add(s);
                        justBuilt = s;
                    }
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String fname, String desc) {
                    if (justBuilt != null && (opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC)) {
                        justBuilt.field = owner.replace('/', '.') + "." + fname;
                    }
                    justBuilt = null;
                }

                @Override
                public void visitInsn(int opcode) {
                    justBuilt = null;
                }

                @Override
                public void visitIntInsn(int opcode, int operand) {
                    justBuilt = null;
                }

                @Override
                public void visitVarInsn(int opcode, int varIndex) {
                    justBuilt = null;
                }

                @Override
                public void visitJumpInsn(int opcode, Label label) {
                    justBuilt = null;
                }

                @Override
                public void visitLdcInsn(Object value) {
                    justBuilt = null;
                }

                @Override
                public void visitIincInsn(int varIndex, int increment) {
                    justBuilt = null;
                }

                @Override
                public void visitInvokeDynamicInsn(String n, String d, net.bytebuddy.jar.asm.Handle h, Object... a) {
                    justBuilt = null;
                }

                @Override
                public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                    justBuilt = null;
                }

                @Override
                public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
                    justBuilt = null;
                }

                @Override
                public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
                    justBuilt = null;
                }
            };
        }
    }

    private static int executorDists() {
        return io.hotpath.bootstrap.Dist.bit(io.hotpath.bootstrap.Dist.LATENCY)
                | io.hotpath.bootstrap.Dist.bit(io.hotpath.bootstrap.Dist.WAIT);
    }

    /** Second pass: rewrite the approved sites, recognised by their order within each method. */
    private final class Rewrite extends ClassVisitor {
        final Map<Integer, List<Site>> sitesByMethod;
        final Subclass sub;
        int methodIndex = -1;

        Rewrite(ClassVisitor next, Map<Integer, List<Site>> sitesByMethod, Subclass sub) {
            super(Opcodes.ASM9, next);
            this.sitesByMethod = sitesByMethod;
            this.sub = sub;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] itfs) {
            // The generic signature keeps naming the JDK class (getGenericSuperclass); only reflection reads it.
            super.visit(version, access, name, signature, sub != null ? sub.target.trackedType() : superName, itfs);
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            methodIndex++;
            final MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            final List<Site> sites = sitesByMethod.getOrDefault(methodIndex, List.of());
            final boolean superCalls = sub != null && name.equals("<init>");
            final boolean callHook = sub != null && sub.hooksToCall.contains(methodIndex);
            if (!superCalls && !callHook && sites.stream().noneMatch(s -> s.approved)) {
                return next;
            }
            return new MethodVisitor(Opcodes.ASM9, next) {
                final Map<String, Deque<Site>> open = new HashMap<>();
                int index;

                @Override
                public void visitCode() {
                    super.visitCode();
                    if (callHook) {
                        // super.beforeExecute(t, r) / super.afterExecute(r, t): the tracked twin counts, then calls
                        // the JDK's, which does nothing.
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitVarInsn(Opcodes.ALOAD, 1);
                        super.visitVarInsn(Opcodes.ALOAD, 2);
                        super.visitMethodInsn(Opcodes.INVOKESPECIAL, sub.target.trackedType(), name, descriptor, false);
                    }
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    final TrackedTypes.Target t = opcode == Opcodes.NEW ? types.target(type) : null;
                    if (t == null) {
                        super.visitTypeInsn(opcode, type);
                        return;
                    }
                    final Site s = sites.get(index++);
                    open.computeIfAbsent(type, k -> new ArrayDeque<>()).push(s);
                    super.visitTypeInsn(opcode, s.approved ? t.trackedType() : type);
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String mname, String desc, boolean itf) {
                    if (opcode == Opcodes.INVOKESPECIAL && mname.equals("<init>")) {
                        final Deque<Site> pending = open.get(owner);
                        if (superCalls && (pending == null || pending.isEmpty()) && owner.equals(sub.jdkSuper)) {
                            pushInt(this, sub.probeId);
                            super.visitMethodInsn(
                                    opcode, sub.target.trackedType(), mname, TrackedTypes.withProbeId(desc), false);
                            return;
                        }
                        if (pending != null && !pending.isEmpty()) {
                            final Site s = pending.pop();
                            if (s.approved) {
                                pushInt(this, s.probeId);
                                super.visitMethodInsn(
                                        opcode,
                                        types.target(owner).trackedType(),
                                        mname,
                                        TrackedTypes.withProbeId(desc),
                                        false);
                                return;
                            }
                        }
                    } else if (opcode == Opcodes.INVOKESTATIC
                            && owner.equals(TrackedTypes.EXECUTORS)
                            && types.supportsFactory(mname, desc)) {
                        final Site s = sites.get(index++);
                        pushInt(this, s.probeId);
                        super.visitMethodInsn(
                                opcode, TrackedTypes.TRACKED_EXECUTORS, mname, TrackedTypes.withProbeId(desc), false);
                        return;
                    }
                    super.visitMethodInsn(opcode, owner, mname, desc, itf);
                }

                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    super.visitMaxs(Math.max(maxStack + 1, callHook ? 3 : 0), maxLocals);
                }
            };
        }
    }

    static void pushInt(MethodVisitor mv, int value) {
        if (value >= -1 && value <= 5) {
            mv.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.SIPUSH, value);
        } else {
            mv.visitLdcInsn(value);
        }
    }
}
