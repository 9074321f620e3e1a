package io.hotpath.it.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Two queues for the debug tools: {@link #work}, through which phase 1 passes {@code count} messages (each offered and
 * polled back on the main thread), and {@link #held}, filled once with four elements that stay (a short one, a long
 * one, one whose {@code toString} throws, a last one). Writes {@code ready} once both exist, {@code done-1} with its
 * ground truth after phase 1 (started by the file {@code go-1}), and exits at {@code go-2} or after the linger time.
 *
 * <p>Arguments: {@code dir lingerSeconds count}.
 */
public final class DebugToolsApp {
    static BlockingQueue<String> work;
    static BlockingQueue<Object> held;

    private DebugToolsApp() {}

    public static void main(String[] args) throws Exception {
        final Path dir = Path.of(args[0]);
        final long lingerNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        final int count = Integer.parseInt(args[2]);
        work = new ArrayBlockingQueue<>(100);
        held = new LinkedBlockingQueue<>();
        held.add("first");
        held.add("y".repeat(100));
        held.add(new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("secret");
            }
        });
        held.add("last");
        write(dir, "ready", "ok");
        await(dir.resolve("go-1"), lingerNanos);
        long offered = 0;
        for (int i = 0; i < count; i++) {
            if (work.offer("m" + i)) {
                offered++;
            }
            work.poll();
        }
        write(dir, "done-1", "offered=" + offered);
        await(dir.resolve("go-2"), lingerNanos);
        System.out.println("held " + held.size());
    }

    private static void await(Path file, long lingerNanos) throws InterruptedException {
        final long until = System.nanoTime() + lingerNanos;
        while (!Files.exists(file) && System.nanoTime() - until < 0) {
            Thread.sleep(20);
        }
    }

    private static void write(Path dir, String name, String text) throws java.io.IOException {
        final Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, text + "\n");
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
