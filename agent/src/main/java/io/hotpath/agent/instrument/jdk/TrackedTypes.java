package io.hotpath.agent.instrument.jdk;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.bootstrap.Dist;
import io.hotpath.bootstrap.PathKind;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.Type;

/**
 * Which JDK types and factory methods the construction-site rewrite replaces, and with what. Read by reflection from
 * the tracked classes in the bootstrap core, so a constructor is rewritten only when its tracked twin (same
 * parameters plus a trailing {@code int probeId}) exists: a JDK that adds a constructor we do not mirror keeps its
 * plain queue instead of failing.
 */
public final class TrackedTypes {
    /** Internal-name prefix every rewritten type shares; used by the constant-pool pre-check. */
    public static final String PREFIX = "java/util/concurrent/";

    /** Package (binary name) of the tracked twins. */
    static final String TRACKED_PACKAGE = "io.hotpath.bootstrap.jdk.";

    static final String EXECUTORS = "java/util/concurrent/Executors";
    static final String TRACKED_EXECUTORS = "io/hotpath/bootstrap/jdk/TrackedExecutors";

    private static final String[][] QUEUES = {
        {"ArrayBlockingQueue", "TrackedArrayBlockingQueue"},
        {"LinkedBlockingQueue", "TrackedLinkedBlockingQueue"},
        {"LinkedBlockingDeque", "TrackedLinkedBlockingDeque"},
        {"LinkedTransferQueue", "TrackedLinkedTransferQueue"},
        {"PriorityBlockingQueue", "TrackedPriorityBlockingQueue"},
        {"ConcurrentLinkedQueue", "TrackedConcurrentLinkedQueue"},
    };
    private static final String[][] EXECUTOR_TYPES = {
        {"ThreadPoolExecutor", "TrackedThreadPoolExecutor"},
        {"ScheduledThreadPoolExecutor", "TrackedScheduledThreadPoolExecutor"},
    };

    /** One type that is rewritten. */
    record Target(String jdkType, String trackedType, PathKind kind, int dists, Set<String> constructors) {}

    private final Map<String, Target> targets = new HashMap<>();
    private final Set<String> factories = new HashSet<>();

    private final ClassLoader loader;

    /** Loads the tracked twins for the enabled groups from the bootstrap loader; logs and skips any missing. */
    public TrackedTypes(boolean queues, boolean executors) {
        this(queues, executors, null);
    }

    /** As above, looking the tracked classes up through {@code loader} (null: bootstrap); for tests. */
    public TrackedTypes(boolean queues, boolean executors, ClassLoader loader) {
        this.loader = loader;
        if (queues) {
            for (String[] q : QUEUES) {
                add(q, PathKind.QUEUE, Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT) | Dist.bit(Dist.SIZE));
            }
        }
        if (executors) {
            for (String[] e : EXECUTOR_TYPES) {
                add(e, PathKind.EXECUTOR, Dist.bit(Dist.LATENCY) | Dist.bit(Dist.WAIT));
            }
            try {
                final Class<?> tracked = Class.forName(TRACKED_EXECUTORS.replace('/', '.'), false, loader);
                for (Method m : tracked.getDeclaredMethods()) {
                    final Class<?>[] params = m.getParameterTypes();
                    if (Modifier.isPublic(m.getModifiers())
                            && Modifier.isStatic(m.getModifiers())
                            && params.length > 0
                            && params[params.length - 1] == int.class) {
                        factories.add(m.getName() + withoutLast(Type.getMethodDescriptor(m)));
                    }
                }
            } catch (ClassNotFoundException | LinkageError e) {
                AgentLog.warn("Executors factory methods will not be measured: " + e);
            }
        }
    }

    private void add(String[] names, PathKind kind, int dists) {
        final String jdk = PREFIX + names[0];
        final String tracked = "io/hotpath/bootstrap/jdk/" + names[1];
        try {
            final Class<?> c = Class.forName(tracked.replace('/', '.'), false, loader);
            final Set<String> ctors = new HashSet<>();
            for (Constructor<?> k : c.getConstructors()) {
                final Class<?>[] params = k.getParameterTypes();
                if (params.length > 0 && params[params.length - 1] == int.class) {
                    ctors.add(withoutLast(Type.getConstructorDescriptor(k)));
                }
            }
            targets.put(jdk, new Target(jdk, tracked, kind, dists, Set.copyOf(ctors)));
        } catch (ClassNotFoundException | LinkageError e) {
            AgentLog.warn(names[0] + " will not be measured: " + e);
        }
    }

    /** {@code (Ljava/util/Collection;I)V} becomes {@code (Ljava/util/Collection;)V}. */
    static String withoutLast(String descriptor) {
        final Type[] args = Type.getArgumentTypes(descriptor);
        final Type[] fewer = new Type[args.length - 1];
        System.arraycopy(args, 0, fewer, 0, fewer.length);
        return Type.getMethodDescriptor(Type.getReturnType(descriptor), fewer);
    }

    /** {@code (I)V} becomes {@code (II)V}. */
    static String withProbeId(String descriptor) {
        final int close = descriptor.lastIndexOf(')');
        return descriptor.substring(0, close) + "I" + descriptor.substring(close);
    }

    Target target(String jdkType) {
        return targets.get(jdkType);
    }

    boolean supportsFactory(String name, String descriptor) {
        return factories.contains(name + descriptor);
    }

    /** Internal names whose mention in a class file makes it worth parsing. */
    Set<String> mentionedNames() {
        final Set<String> names = new HashSet<>(targets.keySet());
        if (!factories.isEmpty()) {
            names.add(EXECUTORS);
        }
        return Set.copyOf(names);
    }

    /** Whether anything is rewritten at all. */
    public boolean isEmpty() {
        return targets.isEmpty() && factories.isEmpty();
    }
}
