package io.hotpath.bootstrap.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Structural proof that the tracked queues take the JDK's lock exactly as often as the JDK class: every override of a
 * queue primitive (put, take, offer, poll and their timed, First/Last and transfer forms) contains exactly one call
 * into the JDK class, to the very method it overrides, and no other call that could reach a queue method (which is
 * where the locks are taken). The only other JDK calls allowed are reads the JDK does without a lock, named below.
 * The recording helpers the primitives call ({@link Recording}, {@link JdkQueueFields}) are checked to call no queue
 * method at all.
 * Together with {@link JdkContractTest} (the order in which threads queued on the lock get in) this shows the lock
 * is acquired once per call, as with the JDK class.
 *
 * <p>The bytecode is read with the JDK's own {@code javap}, so the test needs no bytecode library. A straight-line
 * method (no backward jump) with one call site makes exactly one call.
 */
@Timeout(60)
class OneJdkCallPerMethodTest {
    private static final Set<String> PRIMITIVES = Set.of(
            "put",
            "take",
            "offer",
            "poll",
            "putFirst",
            "putLast",
            "takeFirst",
            "takeLast",
            "offerFirst",
            "offerLast",
            "pollFirst",
            "pollLast",
            "transfer",
            "tryTransfer",
            "add");

    /** JDK methods that read state without taking a lock (checked in the JDK sources of 17 and 25). */
    private static final Map<String, Set<String>> LOCK_FREE_READS = Map.of(
            // count is an AtomicInteger: size() and remainingCapacity() read it and take no lock.
            "java/util/concurrent/LinkedBlockingQueue", Set.of("size", "remainingCapacity"),
            // a lock-free queue: both walk the nodes with volatile reads.
            "java/util/concurrent/LinkedTransferQueue", Set.of("isEmpty", "hasWaitingConsumer"));

    /** A JDK queue or deque class, whose methods take the queue's locks. */
    private static final Pattern QUEUE_CLASS = Pattern.compile("java/util/(concurrent/)?(Abstract)?\\w*(Queue|Deque)");

    private static final Pattern INVOKE = Pattern.compile(
            "^\\s*\\d+: (invoke\\w+)\\s+#\\d+\\s+// (?:Interface)?Method (?:([\\w/$]+)\\.)?([\\w<>$]+):(\\S+)");
    private static final Pattern JUMP = Pattern.compile("^\\s*(\\d+): (?:goto|if\\w*)\\s+(\\d+)");

    static Stream<Arguments> classes() {
        return Stream.of(
                        TrackedArrayBlockingQueue.class,
                        TrackedLinkedBlockingQueue.class,
                        TrackedLinkedBlockingDeque.class,
                        TrackedPriorityBlockingQueue.class,
                        TrackedLinkedTransferQueue.class,
                        TrackedConcurrentLinkedQueue.class)
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("classes")
    void everyPrimitiveCallsItsJdkMethodOnceAndNothingElseThatLocks(Class<?> tracked) throws Exception {
        final String jdk = tracked.getSuperclass().getName().replace('.', '/');
        final Map<String, List<String>> methods = disassemble(tracked);
        final List<String> checked = new ArrayList<>();
        for (Map.Entry<String, List<String>> m : methods.entrySet()) {
            final String name = m.getKey().substring(0, m.getKey().indexOf('('));
            final String desc = m.getKey().substring(m.getKey().indexOf('('));
            if (!PRIMITIVES.contains(name) || desc.contains("Collection")) {
                continue;
            }
            checked.add(m.getKey());
            final List<String> calls = queueCalls(m.getValue(), tracked, jdk);
            assertThat(calls)
                    .as("queue calls in %s.%s", tracked.getSimpleName(), m.getKey())
                    .containsExactly("invokespecial " + jdk + "." + name + ":" + desc);
            assertThat(hasBackwardJump(m.getValue()))
                    .as("%s.%s loops", tracked.getSimpleName(), m.getKey())
                    .isFalse();
        }
        assertThat(checked)
                .as("primitives found in %s", tracked.getSimpleName())
                .isNotEmpty();
    }

    /**
     * Calls that could take a queue lock: any call on the JDK class or the tracked class (an overridable queue method)
     * other than the lock-free reads and the private helpers.
     */
    private static List<String> queueCalls(List<String> code, Class<?> tracked, String jdk) {
        final String self = tracked.getName().replace('.', '/');
        final List<String> calls = new ArrayList<>();
        for (String line : code) {
            final Matcher m = INVOKE.matcher(line);
            if (!m.find()) {
                continue;
            }
            final String owner = m.group(2) == null ? self : m.group(2);
            final String name = m.group(3);
            if (!owner.equals(self) && !owner.equals(jdk)) {
                continue; // recording core, Thread, VarHandle, TimeUnit: no queue lock
            }
            if (LOCK_FREE_READS.getOrDefault(owner, Set.of()).contains(name)) {
                continue;
            }
            calls.add(m.group(1) + " " + owner + "." + name + ":" + m.group(4));
        }
        return calls;
    }

    @ParameterizedTest
    @MethodSource("helpers")
    void theRecordingHelpersMakeNoQueueCall(Class<?> helper) throws Exception {
        final List<String> calls = new ArrayList<>();
        for (Map.Entry<String, List<String>> m : disassemble(helper).entrySet()) {
            for (String line : m.getValue()) {
                final Matcher call = INVOKE.matcher(line);
                if (call.find()
                        && call.group(2) != null
                        && QUEUE_CLASS.matcher(call.group(2)).matches()) {
                    calls.add(m.getKey() + " -> " + call.group(2) + "." + call.group(3));
                }
            }
        }
        assertThat(calls).as("queue calls in %s", helper.getSimpleName()).isEmpty();
    }

    static Stream<Arguments> helpers() {
        return Stream.of(Recording.class, JdkQueueFields.class).map(Arguments::of);
    }

    private static boolean hasBackwardJump(List<String> code) {
        for (String line : code) {
            final Matcher m = JUMP.matcher(line);
            if (m.find() && Integer.parseInt(m.group(2)) <= Integer.parseInt(m.group(1))) {
                return true;
            }
        }
        return false;
    }

    /** Method name + descriptor to its disassembled code lines, declared methods only. */
    private static Map<String, List<String>> disassemble(Class<?> c) throws Exception {
        final ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        final Path classes =
                Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        final StringWriter out = new StringWriter();
        final int rc = javap.run(
                new PrintWriter(out), new PrintWriter(out), "-c", "-p", "-s", "-cp", classes.toString(), c.getName());
        assertThat(rc).as(out.toString()).isZero();
        final Map<String, List<String>> methods = new LinkedHashMap<>();
        String name = null;
        List<String> code = null;
        for (String line : out.toString().split("\\R")) {
            if (line.startsWith("  ") && !line.startsWith("   ") && line.endsWith(";") && line.contains("(")) {
                final String head = line.substring(0, line.indexOf('('));
                name = head.substring(head.lastIndexOf(' ') + 1);
                code = null;
            } else if (name != null && line.trim().startsWith("descriptor: ")) {
                code = new ArrayList<>();
                methods.put(name + line.trim().substring("descriptor: ".length()), code);
            } else if (code != null) {
                code.add(line);
            }
        }
        return methods;
    }
}
