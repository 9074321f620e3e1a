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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * compilation while it warms up). A thread that defines a library's target class (Netty's, Aeron's) before then builds
 * it itself (or waits for the thread building it) and the class is transformed before it is ever used: no call goes
 * uncounted. The wait is
 * bounded ({@link #WAIT_NANOS}): a target defined while the build is stuck loads unchanged and is retransformed once
 * the build is done, and the calls in between are not counted.
 *
 * <p>Defining a JDK target is not using it: the agent's OTLP exporter defines {@code sun.nio.ch.SocketChannelImpl} in
 * programs that never open a socket of their own, and on JDK 25 reading a file does too. A JDK target defined before
 * the advice is built gets a {@link FirstUse} call at the end of its constructors instead ({@link FirstUseCall}). The
 * first application thread to construct one starts the build on the agent's thread and goes on at once: the
 * application never waits for the build. The object it constructed, and every one constructed until its class is
 * swapped, is marked for adoption and adopted on its first recorded call under the advice ({@link FirstUse}): counted
 * as opened, with its endpoint probe. Calls made before the advice is in place are not counted; the operation probes
 * exist from the start ({@link AdviceModule#registerProbes}), so a program that ends within the build's window still
 * shows them. The connections the agent made meanwhile were marked as the agent's own as they were constructed. The
 * agent's own threads never start the build, and neither does another agent's retransformation of a wired class
 * (JFR's, as it starts on JDK 17): the class keeps its call.
 *
 * <p>The wired classes are swapped for the advice on the agent's thread, one class at a time and one pass at a time
 * ({@link #swapInBackground}), holding no lock an application thread could need. A retransformation runs every
 * transformer in the JVM (beside another agent, such as the OpenTelemetry Java agent, its matchers too), so it can take
 * far longer than a class definition on a busy machine; an application thread that constructs an object of a class
 * still wired meanwhile neither swaps it nor waits for it.
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

    /** Set once the build was started on the agent's thread. */
    private final AtomicBoolean buildStarted = new AtomicBoolean();

    /** Set while a pass of {@link #swapInBackground} runs. */
    private final AtomicBoolean swapPass = new AtomicBoolean();

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
     * Run by application threads from {@link FirstUse#constructed}, and never waits: the constructed object ran the
     * old class file and was marked for adoption, so the advice counts it from its first recorded call once its class
     * is swapped. Before the build this starts it on the agent's thread, whose pass swaps the wired classes when it
     * ends; after it (a class wired as the build finished, which that pass did not see) this starts a pass.
     */
    private void applicationUses(Object instance) {
        if (failed) {
            FirstUse.arm(null);
            return;
        }
        if (!hasWiredClass(instance.getClass())) {
            return; // swapped already: a constructor that began under the old class file
        }
        if (advice == null) {
            if (buildStarted.get()) {
                return; // every instance of the window comes here: no name built for a log line each time
            }
            buildInBackground("first instance of " + instance.getClass().getName() + " (thread "
                    + Thread.currentThread().getName() + ")");
        } else {
            swapInBackground();
        }
    }

    /** Whether {@code c} or one of its superclasses (a constructor runs its superclasses' too) is still wired. */
    private boolean hasWiredClass(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (wired.contains(k.getName().replace('.', '/'))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces the {@link FirstUse} call in the wired classes loaded with the advice, one class at a time, on the
     * agent's thread; one pass at a time, so no two threads ever retransform the same class and no application thread
     * waits for one. A class wired after the pass listed the loaded ones keeps the call armed, and its next instance
     * starts another pass. When no wired class is left, the call is disarmed.
     */
    private void swapInBackground() {
        if (!swapPass.compareAndSet(false, true)) {
            return;
        }
        daemon(() -> {
            try {
                for (Class<?> c : loadedTargets()) {
                    final String name = c.getName().replace('.', '/');
                    if (wired.contains(name)) {
                        retransform(List.of(c));
                        // Failed or not, the class is done: a failure is logged once and the class stays as it is.
                        wired.remove(name);
                    }
                }
            } finally {
                swapPass.set(false);
            }
            if (wired.isEmpty()) {
                FirstUse.arm(null);
                // A target wired just now, as the pass ended, must keep the call armed.
                if (!wired.isEmpty()) {
                    FirstUse.arm(this::applicationUses);
                }
            }
        });
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

    /** Starts the build on the agent's thread, once, whichever sign of use comes first. */
    private void buildInBackground(String reason) {
        if (!buildStarted.compareAndSet(false, true)) {
            return;
        }
        daemon(() -> {
            AgentLog.debug("preparing advice in the background: " + reason);
            advice(Long.MAX_VALUE);
        });
    }

    /**
     * Swaps the advice into the targets wired with a {@link FirstUse} call ({@link #swapInBackground}), and
     * retransforms targets that loaded while the build was stuck; never from inside a class definition.
     */
    private void retransformInBackground() {
        if (firstUseArmed) {
            swapInBackground();
        }
        if (missed) {
            daemon(() -> retransform(loadedTargets()));
        }
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
