package io.hotpath.agent.instrument.advice;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.bootstrap.ipc.AgentThreads;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Advice for a fixed set of classes, built off the application's start-up. Until then this transformer is the only
 * trace of the advice modules in the JVM: for every class the JVM defines it compares the internal name with a small
 * set, and it never loads Byte Buddy in premain. Only the target classes ever reach Byte Buddy's matchers, which parse
 * each class they look at.
 *
 * <p>The Byte Buddy transformer is built on a daemon thread when the first class of a library prefix ({@code io/netty/},
 * {@code io/aeron/}, the JDK's network classes) is defined, so it is usually ready before a target class loads, and a
 * program that never touches those libraries never builds it (nor pays for Byte Buddy's classes and their
 * compilation while it warms up). A thread that defines a target class before then builds it itself (or waits for the
 * thread building it) and the class is transformed before it is ever used: no call goes uncounted. The wait is
 * bounded ({@link #WAIT_NANOS}): a target defined while the build is stuck loads unchanged and is retransformed once
 * the build is done, and the calls in between are not counted.
 */
final class DeferredAdvice implements ClassFileTransformer {
    /** How long a thread defining a target class waits for another thread's build before it goes on without it. */
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Instrumentation inst;
    private final Set<String> targets;
    private final String[] hints;
    private final Supplier<ClassFileTransformer> build;
    private final ReentrantLock building = new ReentrantLock();

    private volatile ClassFileTransformer advice;
    private volatile boolean failed;
    private volatile boolean hinted;
    private volatile boolean missed;

    /**
     * @param targets internal names of the classes the advice transforms
     * @param hints internal-name prefixes whose first class starts the build in the background
     * @param build makes the Byte Buddy transformer; called once
     */
    DeferredAdvice(
            Instrumentation inst, Set<String> targets, List<String> hints, Supplier<ClassFileTransformer> build) {
        this.inst = inst;
        this.targets = Set.copyOf(targets);
        this.hints = hints.toArray(new String[0]);
        this.build = build;
    }

    /**
     * Registers the gate. Targets already loaded (attached late, or loaded by another agent's premain) are transformed
     * now, on the calling thread, as the eager installation did.
     */
    void install() {
        inst.addTransformer(this, true);
        final List<Class<?>> loaded = loadedTargets();
        if (!loaded.isEmpty() && advice(0) != null) {
            retransform(loaded);
        }
    }

    @Override
    public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain,
            byte[] classfileBuffer) {
        if (className == null) {
            return null;
        }
        try {
            if (!targets.contains(className)) {
                // The agent's own threads (its exporter resolving the host name, say) are not the application touching
                // a library: a short program must not pay for a build it never uses.
                if (!hinted && hinted(className) && !AgentThreads.current()) {
                    hinted = true;
                    buildInBackground("first " + className.replace('/', '.'));
                }
                return null;
            }
            final ClassFileTransformer t = advice(WAIT_NANOS);
            if (t == null) {
                if (!failed && classBeingRedefined == null) {
                    AgentLog.warn(className.replace('/', '.') + " loaded while its instrumentation was still being"
                            + " prepared; it is instrumented when that finishes, calls until then are not counted");
                    missed = true;
                    if (advice != null) { // the build finished just after the wait ran out
                        retransformInBackground();
                    }
                }
                return null;
            }
            return t.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
        } catch (Throwable t) {
            AgentLog.once(
                    AgentLog.Level.WARN,
                    "deferred:" + className,
                    "left class " + className.replace('/', '.') + " uninstrumented: " + t);
            return null;
        }
    }

    private boolean hinted(String className) {
        for (String h : hints) {
            if (className.startsWith(h)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The Byte Buddy transformer, built by the first caller; others wait for it at most {@code waitNanos}. Null when
     * the build failed or the wait ran out.
     */
    private ClassFileTransformer advice(long waitNanos) {
        final ClassFileTransformer ready = advice;
        if (ready != null || failed) {
            return ready;
        }
        try {
            if (!building.tryLock(waitNanos, TimeUnit.NANOSECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            if (advice == null && !failed) {
                final long start = System.nanoTime();
                try {
                    advice = build.get();
                    if (missed) {
                        retransformInBackground();
                    }
                    AgentLog.debug(String.format(
                            java.util.Locale.ROOT,
                            "advice for %s prepared in %.0f ms on %s",
                            targets,
                            (System.nanoTime() - start) / 1e6,
                            Thread.currentThread().getName()));
                } catch (Throwable t) {
                    failed = true;
                    AgentLog.warn("advice instrumentation not installed; the application runs on without it: " + t);
                }
            }
            return advice;
        } finally {
            building.unlock();
        }
    }

    private void buildInBackground(String reason) {
        daemon(() -> {
            AgentLog.debug("preparing advice in the background: " + reason);
            advice(Long.MAX_VALUE);
        });
    }

    /** Retransforms targets that loaded while the build was stuck; never from inside a class definition. */
    private void retransformInBackground() {
        daemon(() -> retransform(loadedTargets()));
    }

    private static void daemon(Runnable task) {
        final Thread t = new Thread(task, "hotpath-advice");
        t.setDaemon(true);
        t.start();
    }

    private List<Class<?>> loadedTargets() {
        final List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (targets.contains(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) {
                loaded.add(c);
            }
        }
        return loaded;
    }

    private void retransform(List<Class<?>> classes) {
        for (Class<?> c : classes) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable t) {
                AgentLog.once(
                        AgentLog.Level.WARN,
                        "deferred-retransform:" + c.getName(),
                        "left class " + c.getName() + " uninstrumented: " + t);
            }
        }
    }
}
