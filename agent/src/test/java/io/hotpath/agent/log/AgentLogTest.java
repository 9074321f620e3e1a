package io.hotpath.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpath.bootstrap.ipc.AgentThreads;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentLogTest {
    private final PrintStream before = System.err;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** A subclass, so that println synchronizes on the stream itself on every JDK, as the test's holder does. */
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8) {};

    private volatile boolean stop;
    private Thread writer;

    @BeforeEach
    void captureStderr() {
        System.setErr(err);
    }

    @AfterEach
    void restoreStderr() throws InterruptedException {
        stop = true;
        if (writer != null) {
            LockSupport.unpark(writer);
            writer.join();
        }
        System.setErr(before);
    }

    @Test
    void linesLoggedBeforeTheWriterRunsArePrintedAtOnceAndInOrder() throws Exception {
        AgentLog.warn("start-up one");
        AgentLog.warn("start-up two");
        assertThat(lines()).containsSubsequence("[hotpath] WARN start-up one", "[hotpath] WARN start-up two");

        startWriter();
        onApplicationThread(() -> AgentLog.warn("from the application"));
        awaitLine("[hotpath] WARN from the application");
        assertThat(lines())
                .containsSubsequence(
                        "[hotpath] WARN start-up one",
                        "[hotpath] WARN start-up two",
                        "[hotpath] WARN from the application");
    }

    @Test
    void anApplicationThreadLogsWithoutWaitingForStderrsLock() throws Exception {
        startWriter();
        final CountDownLatch release = new CountDownLatch(1);
        final Thread holder = holdStderrUntil(release);
        try {
            final int logged = AgentLog.queuedLines() + 100;
            final Thread app = new Thread(() -> {
                for (int i = 0; i < logged; i++) {
                    AgentLog.warn("line " + i);
                }
            });
            app.start();
            app.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(app.isAlive())
                    .as("the application thread returned while another thread held stderr's lock")
                    .isFalse();
            assertThat(holder.isAlive()).isTrue();

            release.countDown();
            holder.join();
            final Pattern dropped = Pattern.compile("\\[hotpath] WARN (\\d+) log lines dropped");
            awaitMatch(dropped);
            final List<String> printed = new ArrayList<>();
            long droppedCount = 0;
            for (String l : lines()) {
                final Matcher m = dropped.matcher(l);
                if (m.matches()) {
                    droppedCount += Long.parseLong(m.group(1));
                } else if (l.startsWith("[hotpath] WARN line ")) {
                    printed.add(l);
                }
            }
            assertThat(printed.size() + droppedCount).isEqualTo(logged);
            assertThat(droppedCount).isPositive();
            // The queue keeps what fitted, first come first printed: lines 0, 1, 2, ... up to where it was full.
            for (int i = 0; i < printed.size(); i++) {
                assertThat(printed.get(i)).isEqualTo("[hotpath] WARN line " + i);
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void theAgentsOwnThreadPrintsAfterTheLinesQueuedBeforeIt() throws Exception {
        startWriter();
        final CountDownLatch release = new CountDownLatch(1);
        holdStderrUntil(release);
        onApplicationThread(() -> AgentLog.warn("queued first"));
        final Thread agent = AgentThreads.newThread(() -> AgentLog.warn("the agent's, second"), "agent-logger");
        agent.start();
        release.countDown();
        agent.join();
        awaitLine("[hotpath] WARN the agent's, second");
        assertThat(lines()).containsSubsequence("[hotpath] WARN queued first", "[hotpath] WARN the agent's, second");
    }

    /** An agent thread standing in for the agent's loop: drains whenever it is unparked. */
    private void startWriter() throws InterruptedException {
        final CountDownLatch started = new CountDownLatch(1);
        writer = AgentThreads.newThread(
                () -> {
                    AgentLog.writerStarts();
                    started.countDown();
                    try {
                        while (!stop) {
                            AgentLog.drain();
                            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                        }
                    } finally {
                        AgentLog.writerEnds();
                    }
                },
                "test-log-writer");
        writer.start();
        started.await();
    }

    /** A thread that holds stderr's lock until {@code release}; returned once it holds it. */
    private Thread holdStderrUntil(CountDownLatch release) throws InterruptedException {
        final CountDownLatch held = new CountDownLatch(1);
        final Thread holder = new Thread(() -> {
            synchronized (err) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        holder.start();
        held.await();
        return holder;
    }

    private static void onApplicationThread(Runnable r) throws InterruptedException {
        final Thread t = new Thread(r);
        t.start();
        t.join();
    }

    private void awaitLine(String line) throws InterruptedException {
        while (!lines().contains(line)) {
            Thread.sleep(5);
        }
    }

    private void awaitMatch(Pattern p) throws InterruptedException {
        while (lines().stream().noneMatch(l -> p.matcher(l).matches())) {
            Thread.sleep(5);
        }
    }

    private List<String> lines() {
        synchronized (err) {
            return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
        }
    }
}
