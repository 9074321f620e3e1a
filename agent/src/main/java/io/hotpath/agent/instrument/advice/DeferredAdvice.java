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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Advice for a fixed set of classes, built off the application's start-up. Until then this transformer is the only
 * trace of the advice modules in the JVM: for every class the JVM defines it compares the internal name with a small
 * set, and it never loads Byte Buddy in premain. Only the target classes ever reach Byte Buddy's matchers, which parse
 * each class they look at.
 *
 * <p>The Byte Buddy transformer is built on the agent's thread when the first class of a library prefix ({@code
 * io/netty/}, {@code io/aeron/}, the JDK's network classes) is defined, so it is usually ready before a target class
 * loads, and a program that never touches those libraries never builds it (nor pays for Byte Buddy's classes and their
 * compilation while it warms up). No application thread builds it, waits for it or starts a thread for it: a thread
 * that needs the advice only makes a request ({@link #request}, one store), and the agent's thread that polls the
 * requests ({@link AdviceRequests}) starts the work on a thread of the agent's own.
 *
 * <p>A library's target (Netty's, Aeron's) defined before the advice is ready loads without it and is swapped for it by
 * retransformation once it is built. Where the advice would set an instance up (its {@link AdviceModule#setUpSites}),
 * the class defined meanwhile keeps a call that hands the instance over ({@link FirstUse#setUpBeforeAdvice}); once the
 * class is swapped, the agent's thread sets each such instance up as the advice would have ({@link
 * AdviceModule#adopt}): a channel's outbound buffer is tracked for its gauges, an Aeron publication gets its stream
 * probe. Calls made before the swap are not counted.
 *
 * <p>Defining a JDK target is not using it: the agent's OTLP exporter defines {@code sun.nio.ch.SocketChannelImpl} in
 * programs that never open a socket of their own, and on JDK 25 reading a file does too. A JDK target defined before
 * the advice is built gets a {@link FirstUse} call at the end of its constructors instead ({@link FirstUseCall}). The
 * first application thread to construct one requests the build and goes on at once: the application never waits for
 * the build. The object it constructed, and every one constructed until its class is
 * swapped, is marked for adoption and adopted on its first recorded call under the advice ({@link FirstUse}): counted
 * as opened, with its endpoint probe. Calls made before the advice is in place are not counted; the operation probes
 * exist from the start ({@link AdviceModule#registerProbes}), so a program that ends within the build's window still
 * shows them. The connections the agent made meanwhile were marked as the agent's own as they were constructed. The
 * agent's own threads never start the build, and neither does another agent's retransformation of a wired class
 * (JFR's, as it starts on JDK 17): the class keeps its call.
 *
 * <p>The wired classes are swapped for the advice on the agent's thread, one class at a time and one pass at a time
 * ({@link #work}), holding no lock an application thread could need. A retransformation runs every
 * transformer in the JVM (beside another agent, such as the OpenTelemetry Java agent, its matchers too), so it can take
 * far longer than a class definition on a busy machine; an application thread that constructs an object of a class
 * still wired meanwhile neither swaps it nor waits for it.
 */
final class DeferredAdvice implements ClassFileTransformer {
    private final Instrumentation inst;
    private final Set<String> targets;
    private final String[] hints;
    private final Supplier<ClassFileTransformer> build;
    /** Internal names of targets to the method where their advice sets an instance up ({@link AdviceModule#setUpSites}). */
    private final Map<String, String> setUpSites;
    /** Sets up an instance handed over at a site: binary name of the site's class, the instance. */
    private final BiConsumer<String, Object> adopt;

    private final ReentrantLock building = new ReentrantLock();

    private volatile ClassFileTransformer advice;
    private volatile boolean failed;
    private volatile boolean hinted;

    /**
     * Internal names of the targets defined (or retransformed by another agent) before the advice was built and not
     * swapped for it yet: a JDK class with a {@link FirstUse} call, a library class with its set-up calls or as it was.
     */
    private final Set<String> wired = ConcurrentHashMap.newKeySet();

    /**
     * Targets the advice rewrote (internal names): only their instances handed over before the advice are adopted. A
     * target the advice leaves as it is (a library version without the methods it needs) loses its set-up sites with
     * the retransformation, and its instances are no library's to track.
     */
    private final Set<String> advised = ConcurrentHashMap.newKeySet();

    /**
     * Set by an application thread that needs the advice built or swapped in; cleared by the agent's thread as it
     * starts the work. Read before it is written, so the threads of a busy window share the line without writing it.
     */
    private volatile boolean requested;

    /** What made the first request, for the log line: a class name and a thread name, both existing strings. */
    private volatile String requestedFor;

    private volatile String requestedOn;

    /** Set while the agent's thread works on a request ({@link #work}): one pass at a time. */
    private final AtomicBoolean working = new AtomicBoolean();

    /**
     * @param targets internal names of the classes the advice transforms
     * @param hints packages ({@code io/netty/}) or classes whose first class defined starts the build in the background
     *     (see {@link #hints(String, String)})
     * @param build makes the Byte Buddy transformer; called once
     * @param setUpSites internal names of targets to the method where their advice sets an instance up
     * @param adopt sets up an instance handed over at a site of a target defined before the advice (binary name of the
     *     site's class, the instance)
     */
    DeferredAdvice(
            Instrumentation inst,
            Set<String> targets,
            List<String> hints,
            Supplier<ClassFileTransformer> build,
            Map<String, String> setUpSites,
            BiConsumer<String, Object> adopt) {
        this.inst = inst;
        this.targets = Set.copyOf(targets);
        this.hints = hints.toArray(new String[0]);
        this.build = build;
        this.setUpSites = Map.copyOf(setUpSites);
        this.adopt = adopt;
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
        AdviceRequests.register(this);
        final List<Class<?>> loaded = loadedTargets();
        if (!loaded.isEmpty() && advice() != null) {
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
                    request(className);
                }
                return null;
            }
            if (advice == null && !failed) {
                if (loader == null && classBeingRedefined == null) {
                    return definedBeforeUse(className, classfileBuffer);
                }
                // A library's target defined before the advice, or any target another agent retransforms before it (JFR
                // on JDK 17 does as it starts, for its socket events, on the application's thread): it keeps the class
                // file of the window, as a retransformation starts from the original, and the agent's thread swaps it
                // once the advice is built. Nothing waits for the build.
                return beforeAdvice(className, loader, classfileBuffer);
            }
            final ClassFileTransformer t = advice;
            if (t == null) {
                return null; // the build failed: logged once, the class stays as it is
            }
            final byte[] rewritten =
                    t.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
            if (rewritten != null) {
                advised.add(className);
            }
            return rewritten;
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
        FirstUse.arm(this::applicationUses);
        AgentLog.debug(className.replace('/', '.') + " defined before its advice was needed"
                + (AgentThreads.current() ? " (by the agent's own thread)" : "")
                + "; the advice waits for the application's first instance");
        return withCall;
    }

    /**
     * The class file of a target defined or retransformed before the advice was built, until the agent's thread swaps
     * it: a JDK class another agent retransforms keeps its {@link FirstUse} call; a library's class gets a call at its
     * set-up site, or stays as it is. A library's class is the application using the library (the agent uses none), so
     * it requests the build. One class definition: the names it compares exist already.
     */
    private byte[] beforeAdvice(String className, ClassLoader loader, byte[] classfileBuffer) {
        if (loader == null) {
            // Wired already: defined with the call, which a retransformation must keep. Otherwise loaded before the
            // gate was installed: as it was, until the swap.
            return wired.add(className) ? null : FirstUseCall.insert(classfileBuffer);
        }
        wired.add(className);
        request(className);
        final String site = setUpSites.get(className);
        return site == null ? null : FirstUseCall.insertSetUp(classfileBuffer, site);
    }

    /**
     * Run by application threads from {@link FirstUse#constructed}, and never waits: the constructed object ran the
     * old class file and was marked for adoption, so the advice counts it from its first recorded call once its class
     * is swapped. It only asks the agent's thread to build the advice or, once it is built, to swap the wired classes.
     */
    private void applicationUses(Object instance) {
        request(null);
    }

    /**
     * Asks the agent's thread for the advice (built, swapped in, instances adopted). On an application thread, a
     * store and an unpark of the agent's thread ({@link AdviceRequests#wake}) per request: no thread is started, no
     * lock taken, nothing allocated here. {@code why} is the class name the log line gives for the build, when it is
     * the first request.
     */
    private void request(String why) {
        if (requested) {
            return;
        }
        if (why != null && requestedFor == null) {
            requestedFor = why;
            requestedOn = Thread.currentThread().getName();
        }
        requested = true;
        AdviceRequests.wake();
    }

    /**
     * On the agent's polling thread ({@link AdviceRequests#serve}): starts {@link #work} on a thread of the agent's own
     * when a request came, or an instance waits for adoption, and no pass is running.
     */
    void serve() {
        if (failed || !(requested || (advice != null && FirstUse.earlyWaiting()))) {
            return;
        }
        if (!working.compareAndSet(false, true)) {
            return;
        }
        requested = false; // a request made from now on is served by the next pass
        daemon(() -> {
            try {
                work();
            } finally {
                working.set(false);
            }
        });
    }

    /**
     * Whether work waits that no request announced: an instance set up before the advice after the last pass took
     * them. The agent's thread then polls at least every {@link AdviceRequests#POLL_NANOS}.
     */
    boolean pending() {
        return !failed && (requested || advice != null && FirstUse.earlyWaiting());
    }

    /** Whether the advice is still to come for some target: not built, a request not taken up, or classes to swap. */
    boolean listening() {
        return !failed && (advice == null || requested || !wired.isEmpty());
    }

    /**
     * One pass on the agent's thread: builds the advice if it is not, then replaces the wired classes loaded with the
     * advice, one class at a time, holding no lock an application thread could need, and sets up the instances handed
     * over meanwhile ({@link #adopt}). A retransformation runs every transformer in the JVM (beside another agent, such
     * as the OpenTelemetry Java agent, its matchers too), so it can take far longer than a class definition on a busy
     * machine; an application thread that constructs an object of a class still wired meanwhile neither swaps it nor
     * waits for it. A class wired after the pass listed the loaded ones keeps its call, and the request it made starts
     * another pass. When no wired class is left, the {@link FirstUse} call is disarmed.
     */
    private void work() {
        if (advice() == null) {
            FirstUse.arm(null);
            wired.clear();
            FirstUse.takeEarly(instance -> {}); // nothing to set them up for: let them go
            return;
        }
        List<Class<?>> pass = loadedTargets();
        final Set<Class<?>> listed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        listed.addAll(pass);
        for (boolean first = true; !pass.isEmpty(); first = false) {
            for (Class<?> c : pass) {
                final String name = c.getName().replace('.', '/');
                if (!first || wired.contains(name)) {
                    retransform(List.of(c));
                    // Failed or not, the class is done: a failure is logged once and the class stays as it is.
                    wired.remove(name);
                }
            }
            // Byte Buddy describes a loaded class by reflection, which loads the classes its methods name
            // (Aeron.addSubscription names Subscription); a target loaded so, inside a retransformation on this
            // thread, reaches no transformer at all, so it is swapped now.
            final List<Class<?>> loadedMeanwhile = new ArrayList<>();
            for (Class<?> c : loadedTargets()) {
                if (listed.add(c)) {
                    loadedMeanwhile.add(c);
                }
            }
            pass = loadedMeanwhile;
        }
        // After the swap: an instance handed over from now on went through a site whose class file was defined
        // before it, and is taken by the next pass.
        final int dropped = FirstUse.takeEarly(this::adopt);
        if (dropped > 0) {
            AgentLog.once(
                    AgentLog.Level.WARN,
                    "deferred-early",
                    dropped + " objects set up before their instrumentation was ready were not adopted (more than "
                            + FirstUse.EARLY_MAX + " in all); their gauges leave them out");
        }
        if (wired.isEmpty()) {
            FirstUse.arm(null);
            // A target wired just now, as the pass ended, must keep the call armed.
            if (!wired.isEmpty()) {
                FirstUse.arm(this::applicationUses);
            }
        }
    }

    /** Hands {@code instance} to the module whose set-up site its class (or a superclass) has. */
    private void adopt(Object instance) {
        for (Class<?> c = instance.getClass(); c != null; c = c.getSuperclass()) {
            final String type = c.getName();
            final String internal = type.replace('.', '/');
            if (setUpSites.containsKey(internal)) {
                if (!advised.contains(internal)) {
                    return;
                }
                try {
                    adopt.accept(type, instance);
                } catch (Throwable t) {
                    AgentLog.once(
                            AgentLog.Level.WARN,
                            "deferred-adopt:" + type,
                            "an instance of " + type + " made before its instrumentation was ready is left out: " + t);
                }
                return;
            }
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
     * The Byte Buddy transformer, built by the first caller: the agent's thread, or the thread installing the gate when
     * targets are loaded already. Null when the build failed.
     */
    private ClassFileTransformer advice() {
        final ClassFileTransformer ready = advice;
        if (ready != null || failed) {
            return ready;
        }
        building.lock();
        try {
            if (advice == null && !failed) {
                final long start = System.nanoTime();
                try {
                    final String why = requestedFor;
                    if (why != null) {
                        AgentLog.debug("preparing advice in the background: first " + why.replace('/', '.')
                                + " (thread " + requestedOn + ")");
                    }
                    advice = build.get();
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
