package io.hotpath.agent.instrument.advice;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.bootstrap.ipc.AgentThreads;
import io.hotpath.bootstrap.ipc.FirstUse;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
 *
 * <p>Defining a JDK target is not using it: the agent's OTLP exporter defines {@code sun.nio.ch.SocketChannelImpl} in
 * programs that never open a socket of their own, and on JDK 25 reading a file does too. A JDK target defined before
 * the advice is built gets a {@link FirstUse} call at the end of its constructors instead ({@link FirstUseCall}); the
 * first application thread to construct one builds the advice and retransforms that one class before its constructor
 * returns. A connection of the application's constructed under the old class file and not connected under the advice
 * (its wait for the build ran out, or it was accepted before its server's class was swapped) is adopted on its first
 * recorded call instead ({@link FirstUse}). The connections the agent made meanwhile were marked as the agent's own as
 * they were constructed. The agent's own threads never build it, and neither does another agent's retransformation
 * of a wired class (JFR's, as it starts on JDK 17): the class keeps its call.
 *
 * <p>No lock of ours is held while a class is retransformed. A retransformation runs every transformer in the JVM
 * (beside another agent, such as the OpenTelemetry Java agent, its matchers too), so it can take far longer than a
 * class definition on a busy machine; a monitor held over a batch of them made application threads that constructed a
 * socket meanwhile wait for the whole batch. Now each class is swapped on its own ({@link #swap}): the thread that
 * needs a class swapped swaps it (or, when another thread is swapping that same class, waits for that one class, as a
 * thread waits for a class another thread is defining), and the pass on the agent's thread after the build swaps what
 * is left one class at a time.
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
    /** Set once a target was defined with a {@link FirstUse} call in place of advice. */
    private volatile boolean firstUseArmed;

    /** Internal names of the targets defined with a {@link FirstUse} call and not swapped for the advice yet. */
    private final Set<String> wired = ConcurrentHashMap.newKeySet();

    /** The wired classes being swapped right now, each with the latch its swap counts down when done. */
    private final ConcurrentHashMap<Class<?>, CountDownLatch> swapping = new ConcurrentHashMap<>();

    /**
     * @param targets internal names of the classes the advice transforms
     * @param hints packages ({@code io/netty/}) or classes whose first class defined starts the build in the background
     *     (see {@link #hints(String, String)})
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
        // A FirstUse call in a java.base class refers to the core in the boot loader's unnamed module, which java.base
        // reads only when told; telling it here costs nothing and is not possible from inside a class definition.
        final Module javaBase = Object.class.getModule();
        final Module core = FirstUse.class.getModule();
        if (!javaBase.canRead(core)) {
            inst.redefineModule(javaBase, Set.of(core), Map.of(), Map.of(), Set.of(), Map.of());
        }
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
                    buildInBackground("first " + className.replace('/', '.') + " (thread "
                            + Thread.currentThread().getName() + ")");
                }
                return null;
            }
            if (advice == null && !failed && loader == null) {
                if (classBeingRedefined == null) {
                    return definedBeforeUse(className, classfileBuffer);
                }
                if (wired.contains(className)) {
                    // Another agent retransforms a wired class before the build is done (JFR on JDK 17 does as it
                    // starts, for its socket events, on the application's thread): the call is kept, as the
                    // retransformation starts from the original class file, and nothing waits for the build.
                    return FirstUseCall.insert(classfileBuffer);
                }
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

    /**
     * A JDK target defined before the advice was built: a {@link FirstUse} call in its constructors, so that the
     * application's first instance builds the advice. Defining the class is not using it: the agent's exporter defines
     * the socket channel class for its own connection, and on recent JDKs reading a file does, through an
     * {@code instanceof} check.
     */
    private byte[] definedBeforeUse(String className, byte[] classfileBuffer) {
        final byte[] withCall = FirstUseCall.insert(classfileBuffer);
        wired.add(className);
        firstUseArmed = true;
        FirstUse.arm(this::applicationUses);
        AgentLog.debug(className.replace('/', '.') + " defined before its advice was needed"
                + (AgentThreads.current() ? " (by the agent's own thread)" : "")
                + "; the advice waits for the application's first instance");
        return withCall;
    }

    /**
     * Run by application threads from {@link FirstUse#constructed}: builds the advice (once) and swaps it into the
     * constructed object's class before its constructor returns, so that no call on the object goes uncounted. Only
     * that class: the others wired are swapped by the thread that first constructs one, or by the pass after the build.
     */
    private void applicationUses(Object instance) {
        final List<Class<?>> classes = wiredClassesOf(instance.getClass());
        if (classes.isEmpty()) {
            return; // swapped already: a constructor that began under the old class file
        }
        if (advice(WAIT_NANOS) != null) {
            for (Class<?> c : classes) {
                swap(c);
            }
        } else if (failed) {
            FirstUse.arm(null);
        }
    }

    /** The wired targets among {@code c} and its superclasses (a constructor runs its superclasses' too). */
    private List<Class<?>> wiredClassesOf(Class<?> c) {
        List<Class<?>> found = List.of();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (wired.contains(k.getName().replace('.', '/'))) {
                if (found.isEmpty()) {
                    found = new ArrayList<>(2);
                }
                found.add(k);
            }
        }
        return found;
    }

    /**
     * Replaces the {@link FirstUse} call in one wired class with the advice, holding no lock while the JVM
     * retransforms it. A thread that finds the same class being swapped by another waits for that swap to end, as a
     * thread waits for a class another thread is defining: its object's calls are counted only once the swap is done,
     * so a bounded wait that ran out on a starved machine would let its connection go uncounted. The wait is for one
     * class's retransformation, which the JVM would make it wait for anyway (it retransforms a class for one thread at a
     * time), and it always ends: the swapping thread counts the latch down in a {@code finally}.
     * When no wired class is left, the call is disarmed.
     */
    private void swap(Class<?> c) {
        final String name = c.getName().replace('.', '/');
        final CountDownLatch mine = new CountDownLatch(1);
        final CountDownLatch other = swapping.putIfAbsent(c, mine);
        if (other != null) {
            awaitUninterruptibly(other);
            return;
        }
        try {
            // Swapped between the caller's look-up and this claim: nothing to do.
            if (wired.contains(name)) {
                retransform(List.of(c));
                // Failed or not, the class is done: a failure is logged once and the class stays as it is.
                wired.remove(name);
            }
        } finally {
            swapping.remove(c, mine);
            mine.countDown();
        }
        if (wired.isEmpty()) {
            FirstUse.arm(null);
            // A target wired just now, as the build finished, must keep the call armed.
            if (!wired.isEmpty()) {
                FirstUse.arm(this::applicationUses);
            }
        }
    }

    /** Waits for {@code latch}; an interrupt is kept for the caller, not lost, and does not end the wait. */
    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean hinted(String className) {
        for (String h : hints) {
            if (hints(h, className)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code className} is a sign of the library {@code hint} names: a hint ending in {@code /} is a package
     * prefix ({@code io/netty/}); any other names one class, which matches itself and its nested classes only. A bare
     * prefix would be too wide for the JDK's classes: {@code java/net/Socket} would match {@code SocketPermission},
     * which the JVM loads for security and management checks in programs that never open a socket, and start a build
     * of some 800 Byte Buddy classes they never use.
     */
    static boolean hints(String hint, String className) {
        if (!className.startsWith(hint)) {
            return false;
        }
        return hint.endsWith("/") || className.length() == hint.length() || className.charAt(hint.length()) == '$';
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
                    if (missed || firstUseArmed) {
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

    /**
     * Swaps the advice into the targets wired with a {@link FirstUse} call, and retransforms targets that loaded while
     * the build was stuck; never from inside a class definition. One class at a time, holding no lock: an application
     * thread that constructs an object of one of them meanwhile waits for that class only, never for this pass.
     */
    private void retransformInBackground() {
        daemon(() -> {
            if (firstUseArmed) {
                for (Class<?> c : loadedTargets()) {
                    if (wired.contains(c.getName().replace('.', '/'))) {
                        swap(c);
                    }
                }
            }
            if (missed) {
                retransform(loadedTargets());
            }
        });
    }

    /** On an agent thread: its CPU is the agent's own, and whatever it loads is no sign of the application's use. */
    private static void daemon(Runnable task) {
        AgentThreads.newThread(
                        () -> {
                            try {
                                task.run();
                            } finally {
                                io.hotpath.agent.runtime.SelfCost.threadEnding();
                            }
                        },
                        "hotpath-advice")
                .start();
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
