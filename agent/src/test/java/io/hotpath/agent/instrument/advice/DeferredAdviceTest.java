package io.hotpath.agent.instrument.advice;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DeferredAdviceTest {
    private static final byte[] REWRITTEN = {1, 2, 3};

    private final AtomicInteger builds = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    /** Stands in for the Byte Buddy transformer: rewrites whatever it is given. */
    private final ClassFileTransformer advice = new ClassFileTransformer() {
        @Override
        public byte[] transform(
                Module module,
                ClassLoader loader,
                String className,
                Class<?> classBeingRedefined,
                ProtectionDomain protectionDomain,
                byte[] classfileBuffer) {
            calls.incrementAndGet();
            return REWRITTEN;
        }
    };

    /** The gates of this test, whose requests {@link #poller} takes up as the agent's background thread would. */
    private final List<DeferredAdvice> gates = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Thread poller = new Thread(
            () -> {
                while (!Thread.currentThread().isInterrupted()) {
                    gates.forEach(DeferredAdvice::serve);
                    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
                }
            },
            "test-poller");

    @org.junit.jupiter.api.AfterEach
    void stopPolling() throws InterruptedException {
        poller.interrupt();
        poller.join(5_000);
    }

    /** A gate with no set-up sites whose requests are taken up every 5 ms. */
    private DeferredAdvice gate(
            Instrumentation inst, Set<String> targets, List<String> hints, Supplier<ClassFileTransformer> build) {
        return served(new DeferredAdvice(inst, targets, hints, build, Map.of(), (type, instance) -> {}));
    }

    private DeferredAdvice served(DeferredAdvice gate) {
        gates.add(gate);
        if (!poller.isAlive()) {
            poller.setDaemon(true);
            poller.start();
        }
        return gate;
    }

    /** A build that counts {@code entered} down, then stalls until {@code release} (10 s at most). */
    private Supplier<ClassFileTransformer> stalledBuild(
            java.util.concurrent.CountDownLatch entered, java.util.concurrent.CountDownLatch release) {
        return () -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            builds.incrementAndGet();
            return advice;
        };
    }

    private DeferredAdvice gate() {
        return gate(instrumentation(), Set.of("com/acme/Target"), List.of("com/lib/"), () -> {
            builds.incrementAndGet();
            return advice;
        });
    }

    /** A library class (an application class loader's): the boot loader's targets are covered further down. */
    private static byte[] define(DeferredAdvice gate, String name) {
        return define(gate, name, new byte[0]);
    }

    private static byte[] define(DeferredAdvice gate, String name, byte[] classfile) {
        return gate.transform(null, DeferredAdviceTest.class.getClassLoader(), name, null, null, classfile);
    }

    @Test
    void otherClassesNeitherBuildNorReachTheAdvice() {
        final DeferredAdvice gate = gate();
        assertThat(define(gate, "com/acme/Other")).isNull();
        assertThat(define(gate, "java/lang/String")).isNull();
        assertThat(gate.transform(null, null, null, null, null, new byte[0])).isNull();
        assertThat(builds).hasValue(0);
        assertThat(calls).hasValue(0);
    }

    @Test
    void aTargetDefinedBeforeTheAdviceLoadsWithoutItAndOneDefinedAfterIsRewrittenAndTheAdviceIsBuiltOnce()
            throws InterruptedException {
        final DeferredAdvice gate = gate();
        assertThat(define(gate, "com/acme/Target")).isNull();
        awaitBuilds(1);
        assertThat(define(gate, "com/acme/Target")).isEqualTo(REWRITTEN);
        assertThat(define(gate, "com/acme/Target")).isEqualTo(REWRITTEN);
        assertThat(define(gate, "com/acme/Other")).isNull();
        assertThat(builds).hasValue(1);
        assertThat(calls).hasValue(2);
    }

    /**
     * Rule 1: the application's thread that needs the advice (a library's first class, a target) only stores a
     * request and unparks the agent's serving thread. It starts no thread and builds nothing; the agent's thread starts
     * the build ({@link DeferredAdvice#serve}).
     */
    @Test
    void theApplicationsThreadOnlyRequestsAndTheAgentsPollingThreadStartsTheBuild() throws InterruptedException {
        final String target = Pipe.class.getName().replace('.', '/');
        final DeferredAdvice gate = new DeferredAdvice(
                instrumentation(new Class<?>[] {Pipe.class}),
                Set.of(target),
                List.of("com/lib/"),
                () -> {
                    builds.incrementAndGet();
                    return advice;
                },
                Map.of(),
                (type, instance) -> {});
        final long threadsBefore = threadsStarted();
        AdviceRequests.servedBy(Thread.currentThread());
        try {
            assertThat(define(gate, "com/lib/Bootstrap")).isNull();
            assertThat(define(gate, target)).isNull();
            final long parked = System.nanoTime();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(10));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - parked))
                    .as("the serving thread's park after the request unparked it")
                    .isLessThan(5_000);
        } finally {
            AdviceRequests.servedBy(null);
        }
        assertThat(threadsStarted())
                .as("threads started by the defining thread")
                .isEqualTo(threadsBefore);
        assertThat(gate.listening()).isTrue();
        Thread.sleep(100);
        assertThat(builds)
                .as("built before the agent's thread took the request")
                .hasValue(0);

        final long asked = System.nanoTime();
        served(gate);
        awaitBuilds(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked))
                .as("from the poll to the build")
                .isLessThan(5_000);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gate.listening() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(gate.listening())
                .as("nothing left to ask for once built and swapped")
                .isFalse();
        assertThat(builds).hasValue(1);
    }

    /** Threads the JVM has started so far. */
    private static long threadsStarted() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
    }

    private void awaitBuilds(int n) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (builds.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(builds).hasValue(n);
    }

    @Test
    void aLibraryClassStartsTheBuildInTheBackground() throws InterruptedException {
        final DeferredAdvice gate = gate();
        assertThat(define(gate, "com/lib/Bootstrap")).isNull();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (builds.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(builds).hasValue(1);
        assertThat(define(gate, "com/lib/Other")).isNull();
        assertThat(define(gate, "com/acme/Target")).isEqualTo(REWRITTEN);
        assertThat(builds).hasValue(1);
    }

    @Test
    void aPackageHintMatchesItsPackageAndAClassHintOnlyThatClassAndItsNestedClasses() {
        assertThat(DeferredAdvice.hints("io/netty/", "io/netty/channel/Channel"))
                .isTrue();
        assertThat(DeferredAdvice.hints("io/netty/", "io/nettyx/Other")).isFalse();
        assertThat(DeferredAdvice.hints("java/net/Socket", "java/net/Socket")).isTrue();
        assertThat(DeferredAdvice.hints("java/net/Socket", "java/net/Socket$SocketInputStream"))
                .isTrue();
        assertThat(DeferredAdvice.hints("java/net/Socket", "java/net/SocketPermission"))
                .isFalse();
        assertThat(DeferredAdvice.hints("java/net/Socket", "java/net/SocketAddress"))
                .isFalse();
        assertThat(DeferredAdvice.hints("java/net/Socket", "java/net/ServerSocket"))
                .isFalse();
    }

    @Test
    void aClassThatOnlySharesAClassHintsNameStartsNoBuild() throws InterruptedException {
        final DeferredAdvice gate =
                gate(instrumentation(), Set.of("com/acme/Target"), List.of("com/lib/Socket"), () -> {
                    builds.incrementAndGet();
                    return advice;
                });
        assertThat(define(gate, "com/lib/SocketPermission")).isNull();
        Thread.sleep(200);
        assertThat(builds).hasValue(0);
        assertThat(define(gate, "com/lib/Socket")).isNull();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (builds.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(builds).hasValue(1);
    }

    @Test
    void aFailedBuildLeavesTargetsUnchangedAndIsNotRetried() throws InterruptedException {
        final DeferredAdvice gate = gate(instrumentation(), Set.of("com/acme/Target"), List.of(), () -> {
            builds.incrementAndGet();
            throw new IllegalStateException("no Byte Buddy today");
        });
        assertThat(define(gate, "com/acme/Target")).isNull();
        awaitBuilds(1);
        assertThat(define(gate, "com/acme/Target")).isNull();
        Thread.sleep(50);
        assertThat(builds).hasValue(1);
        assertThat(gate.listening()).isFalse();
    }

    /** An Instrumentation with no loaded classes that accepts transformers and does nothing else. */
    private static Instrumentation instrumentation() {
        return instrumentation(new Class<?>[0]);
    }

    /**
     * An Instrumentation whose loaded classes are those in {@code loaded} when asked (a test fills it in as it defines
     * them), that accepts transformers and retransformations and does nothing else.
     */
    private static Instrumentation instrumentation(Class<?>[] loaded) {
        return instrumentation(loaded, new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    /**
     * {@link #instrumentation(Class[])} that adds the nested name of each class it retransforms to {@code swapped}, after
     * running the transformers added to it over the class, as a JVM does.
     */
    private static Instrumentation instrumentation(Class<?>[] loaded, List<String> swapped) {
        final List<ClassFileTransformer> transformers = new java.util.concurrent.CopyOnWriteArrayList<>();
        return (Instrumentation) Proxy.newProxyInstance(
                DeferredAdviceTest.class.getClassLoader(), new Class<?>[] {Instrumentation.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "getAllLoadedClasses":
                            return java.util.Arrays.stream(loaded)
                                    .filter(java.util.Objects::nonNull)
                                    .toArray(Class<?>[]::new);
                        case "addTransformer":
                            transformers.add((ClassFileTransformer) args[0]);
                            return null;
                        case "retransformClasses":
                            final Class<?> c = (Class<?>) ((Object[]) args[0])[0];
                            for (ClassFileTransformer t : transformers) {
                                t.transform(
                                        c.getModule(),
                                        c.getClassLoader(),
                                        c.getName().replace('.', '/'),
                                        c,
                                        null,
                                        new byte[0]);
                            }
                            swapped.add(c.getName().substring(c.getName().indexOf('$') + 1));
                            return null;
                        case "isModifiableClass":
                        case "isRetransformClassesSupported":
                            return true;
                        case "hashCode":
                            return System.identityHashCode(p);
                        case "equals":
                            return p == args[0];
                        case "toString":
                            return "test instrumentation";
                        default:
                            return null;
                    }
                });
    }

    /** A JDK-like target: a class with two constructors, one delegating to the other. */
    public static final class Channel {
        public final int port;

        public Channel() {
            this(0);
        }

        public Channel(int port) {
            this.port = port;
        }
    }

    @Test
    void aBootTargetDefinedBeforeUseGetsTheFirstUseCallAndTheApplicationsFirstInstanceStartsTheBuild()
            throws Exception {
        final java.util.concurrent.CountDownLatch buildEntered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final Class<?>[] loaded = new Class<?>[1];
        final DeferredAdvice gate = gate(
                instrumentation(loaded),
                Set.of(Channel.class.getName().replace('.', '/')),
                List.of(),
                stalledBuild(buildEntered, release));
        final Class<?> c = wiredClass(gate, Channel.class);
        loaded[0] = c;
        assertThat(builds).hasValue(0);
        assertThat(io.hotpath.bootstrap.ipc.FirstUse.armed()).isTrue();

        // An agent thread's instance starts nothing and is marked as the agent's before its constructor returns: the
        // agent may connect it under this class file and write under the advice an instant after the swap, so a mark
        // made any later would leave that write counted as the application's.
        final Object[] agents = new Object[1];
        final long[] cellOnReturn = new long[1];
        final Thread agent = io.hotpath.bootstrap.ipc.AgentThreads.newThread(
                () -> {
                    try {
                        agents[0] = c.getConstructor().newInstance();
                        cellOnReturn[0] = io.hotpath.bootstrap.ipc.Endpoints.cellOf(agents[0]);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "test-agent");
        agent.start();
        agent.join();
        assertThat(agents[0]).isNotNull();
        assertThat(buildEntered.getCount()).isEqualTo(1);
        assertThat(cellOnReturn[0]).isEqualTo(io.hotpath.bootstrap.ipc.Endpoints.AGENT);

        try {
            // The application's instances start the build on the agent's thread and never wait for it, however long
            // it takes: each ran the old class file and is marked for adoption.
            final long start = System.nanoTime();
            final Object first = c.getConstructor(int.class).newInstance(7);
            assertThat(buildEntered.await(10, TimeUnit.SECONDS)).isTrue();
            final Object second = c.getConstructor().newInstance();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("two constructions while the build is stalled")
                    .isLessThan(2_000);
            assertThat(c.getDeclaredField("port").getInt(first)).isEqualTo(7);
            for (Object app : List.of(first, second)) {
                assertThat(io.hotpath.bootstrap.ipc.Endpoints.cellOf(app))
                        .isEqualTo(io.hotpath.bootstrap.ipc.Endpoints.PENDING);
            }
            assertThat(io.hotpath.bootstrap.ipc.FirstUse.armed()).isTrue();
        } finally {
            release.countDown();
        }

        // The build's end swaps the class on the agent's thread and disarms the call.
        awaitDisarmed();
        assertThat(builds).hasValue(1);
        assertThat(io.hotpath.bootstrap.ipc.Endpoints.cellOf(c.getConstructor().newInstance()))
                .isZero();
        assertThat(builds).hasValue(1);
        assertThat(io.hotpath.bootstrap.ipc.Endpoints.cellOf(agents[0]))
                .isEqualTo(io.hotpath.bootstrap.ipc.Endpoints.AGENT);
    }

    private static void awaitDisarmed() throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (io.hotpath.bootstrap.ipc.FirstUse.armed() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(io.hotpath.bootstrap.ipc.FirstUse.armed()).isFalse();
    }

    /**
     * Another agent that retransforms a wired class before the advice is built (JFR does, as it starts on JDK 17, on
     * the application's thread) neither builds nor waits: the class keeps its first-use call.
     */
    @Test
    void aRetransformationOfAWiredClassBeforeTheBuildKeepsTheCallAndBuildsNothing() throws Exception {
        final String name = Pipe.class.getName().replace('.', '/');
        final DeferredAdvice gate = gate(instrumentation(), Set.of(name), List.of(), () -> {
            builds.incrementAndGet();
            return advice;
        });
        final byte[] original;
        try (java.io.InputStream in = Pipe.class.getResourceAsStream("DeferredAdviceTest$Pipe.class")) {
            original = in.readAllBytes();
        }
        final byte[] wired = gate.transform(null, null, name, null, null, original);
        final long start = System.nanoTime();
        final byte[] again = gate.transform(null, null, name, Pipe.class, null, original);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
        assertThat(again).isEqualTo(wired);
        assertThat(builds).hasValue(0);
        assertThat(calls).hasValue(0);
    }

    /** A second JDK-like target. */
    public static final class Pipe {
        public Pipe() {}
    }

    /** {@code nested}'s class file, wired by {@code gate} as a JDK class, defined in a loader of its own. */
    private static Class<?> wiredClass(DeferredAdvice gate, Class<?> nested) throws Exception {
        return defined(
                nested, gate.transform(null, null, nested.getName().replace('.', '/'), null, null, classFile(nested)));
    }

    private static byte[] classFile(Class<?> nested) throws java.io.IOException {
        try (java.io.InputStream in = nested.getResourceAsStream(
                nested.getName().substring(nested.getPackageName().length() + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    /** {@code nested} defined from {@code wired}, which must differ from its class file, in a loader of its own. */
    private static Class<?> defined(Class<?> nested, byte[] wired) throws Exception {
        assertThat(wired).isNotNull().isNotEqualTo(classFile(nested));
        return new ClassLoader(null) {
            @Override
            protected Class<?> findClass(String n) throws ClassNotFoundException {
                if (n.equals(nested.getName())) {
                    return defineClass(n, wired, 0, wired.length);
                }
                return DeferredAdviceTest.class.getClassLoader().loadClass(n);
            }
        }.loadClass(nested.getName());
    }

    /**
     * The pass after a background build swaps the wired classes one at a time and holds nothing an application thread
     * waits for: while the JVM is slow to retransform one class (another agent's matchers, a busy machine), an
     * application thread constructing an object of another wired class goes on at once, its object marked for
     * adoption, and the pass swaps that class next. (It used to wait on a monitor the agent's thread held over the
     * whole batch.)
     */
    @Test
    void aSlowSwapOfOneClassHoldsUpNoApplicationThreadThatConstructsAnother() throws Exception {
        final java.util.concurrent.CountDownLatch slowEntered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final Class<?>[] loaded = new Class<?>[2];
        final List<String> swapped = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Instrumentation inst = (Instrumentation) Proxy.newProxyInstance(
                DeferredAdviceTest.class.getClassLoader(), new Class<?>[] {Instrumentation.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "getAllLoadedClasses":
                            return loaded.clone();
                        case "isModifiableClass":
                            return true;
                        case "retransformClasses":
                            final Class<?> c = (Class<?>) ((Object[]) args[0])[0];
                            if (c == loaded[0]) {
                                slowEntered.countDown();
                                release.await(10, TimeUnit.SECONDS);
                            }
                            swapped.add(c.getName().substring(c.getName().indexOf('$') + 1));
                            return null;
                        case "hashCode":
                            return System.identityHashCode(p);
                        case "equals":
                            return p == args[0];
                        default:
                            return null;
                    }
                });
        final DeferredAdvice gate = gate(
                inst,
                Set.of(
                        Channel.class.getName().replace('.', '/'),
                        Pipe.class.getName().replace('.', '/')),
                List.of("com/lib/"),
                () -> {
                    builds.incrementAndGet();
                    return advice;
                });
        try {
            loaded[0] = wiredClass(gate, Channel.class);
            loaded[1] = wiredClass(gate, Pipe.class);
            assertThat(io.hotpath.bootstrap.ipc.FirstUse.armed()).isTrue();

            // A library class starts the build on the agent's thread; its pass then stalls in the Channel's swap.
            assertThat(define(gate, "com/lib/Bootstrap")).isNull();
            assertThat(slowEntered.await(10, TimeUnit.SECONDS)).isTrue();

            final long start = System.nanoTime();
            final Object pipe = loaded[1].getConstructor().newInstance();
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMs)
                    .as("an application thread constructing a Pipe while the agent swaps the Channel")
                    .isLessThan(2_000);
            assertThat(swapped).as("swapped while the Channel's swap stalls").isEmpty();
            assertThat(io.hotpath.bootstrap.ipc.Endpoints.cellOf(pipe))
                    .isEqualTo(io.hotpath.bootstrap.ipc.Endpoints.PENDING);
            assertThat(io.hotpath.bootstrap.ipc.FirstUse.armed())
                    .as("armed while the Channel is still wired")
                    .isTrue();
        } finally {
            release.countDown();
        }
        awaitDisarmed();
        assertThat(swapped).containsExactly("Channel", "Pipe");
        assertThat(builds).hasValue(1);
    }

    /** A library's target whose advice sets an instance up in its constructor. */
    public static final class Buffer {
        public Buffer() {}
    }

    /** A library's target whose advice sets an instance up when it starts. */
    public static final class Loop {
        public void start() {}
    }

    /**
     * A library's target defined while the build is stalled loads at once with a call at its set-up sites; the
     * instances that go through them meanwhile are set up on the agent's thread once the class is swapped, each once,
     * and the application's thread never waits.
     */
    @Test
    void instancesSetUpBeforeTheAdviceAreAdoptedOnTheAgentsThreadAfterTheSwap() throws Exception {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final Class<?>[] loaded = new Class<?>[2];
        final List<String> swapped = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> adopted = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Instrumentation inst = instrumentation(loaded, swapped);
        final String buffer = Buffer.class.getName().replace('.', '/');
        final String loop = Loop.class.getName().replace('.', '/');
        final DeferredAdvice gate = served(new DeferredAdvice(
                inst,
                Set.of(buffer, loop),
                List.of(),
                stalledBuild(new java.util.concurrent.CountDownLatch(1), release),
                Map.of(buffer, "<init>", loop, "start"),
                (type, instance) -> adopted.add(type.substring(type.indexOf('$') + 1) + "@"
                        + System.identityHashCode(instance) + (swapped.isEmpty() ? " before the swap" : ""))));
        inst.addTransformer(gate, true); // as install() does: the swap runs the gate over each class
        final Object first;
        final Object second;
        final Object started;
        final Object idle;
        try {
            final long start = System.nanoTime();
            loaded[0] = libraryClass(gate, Buffer.class);
            loaded[1] = libraryClass(gate, Loop.class);
            first = loaded[0].getConstructor().newInstance();
            second = loaded[0].getConstructor().newInstance();
            started = loaded[1].getConstructor().newInstance();
            idle = loaded[1].getConstructor().newInstance();
            loaded[1].getMethod("start").invoke(started);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("two classes defined and four instances made while the build is stalled")
                    .isLessThan(2_000);
            assertThat(io.hotpath.bootstrap.ipc.FirstUse.earlyWaiting()).isTrue();
            assertThat(adopted).isEmpty();
        } finally {
            release.countDown();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((gate.listening() || io.hotpath.bootstrap.ipc.FirstUse.earlyWaiting()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(swapped).containsExactlyInAnyOrder("Buffer", "Loop");
        assertThat(adopted)
                .containsExactlyInAnyOrder(
                        "Buffer@" + System.identityHashCode(first),
                        "Buffer@" + System.identityHashCode(second),
                        "Loop@" + System.identityHashCode(started));
        assertThat(adopted).doesNotContain("Loop@" + System.identityHashCode(idle));
        assertThat(builds).hasValue(1);
    }

    /** {@code nested}'s class file as {@code gate} defines it for an application's class loader, defined in one. */
    private static Class<?> libraryClass(DeferredAdvice gate, Class<?> nested) throws Exception {
        return defined(nested, define(gate, nested.getName().replace('.', '/'), classFile(nested)));
    }

    /**
     * Byte Buddy describes a class it retransforms by reflection, which loads the classes its methods name; such a
     * target, loaded inside the retransformation on the agent's thread, reaches no transformer. The pass swaps it too.
     */
    @Test
    void aTargetLoadedWhileTheSwapPassRetransformsAnotherIsSwappedInTheSamePass() throws Exception {
        final Class<?>[] loaded = new Class<?>[2];
        final List<String> swapped = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Instrumentation inst = instrumentation(loaded, new java.util.AbstractList<String>() {
            @Override
            public boolean add(String name) {
                loaded[1] = Pipe.class; // the retransformation of the Channel loads the Pipe, unseen by the gate
                return swapped.add(name);
            }

            @Override
            public String get(int index) {
                return swapped.get(index);
            }

            @Override
            public int size() {
                return swapped.size();
            }
        });
        final DeferredAdvice gate = gate(
                inst,
                Set.of(
                        Channel.class.getName().replace('.', '/'),
                        Pipe.class.getName().replace('.', '/')),
                List.of(),
                () -> {
                    builds.incrementAndGet();
                    return advice;
                });
        loaded[0] = Channel.class;
        assertThat(define(gate, Channel.class.getName().replace('.', '/'))).isNull();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (swapped.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(swapped).containsExactly("Channel", "Pipe");
        assertThat(builds).hasValue(1);
    }
}
