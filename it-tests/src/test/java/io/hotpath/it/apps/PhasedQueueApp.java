package io.hotpath.it.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A queue driven in phases the test starts one at a time, so that it can change the agent between them: phase
 * {@code k} waits for the file {@code go-k} in {@code dir}, offers {@code counts[k-1]} elements to one
 * {@link ArrayBlockingQueue} and polls each back, then writes its ground truth ({@code offered=N}, the phase's own
 * count) to {@code done-k}. After the last phase it exits; it gives up after {@code lingerSeconds} without a go.
 *
 * <p>Arguments: {@code dir lingerSeconds count1 count2 ...}.
 */
public final class PhasedQueueApp {
    private PhasedQueueApp() {}

    public static void main(String[] args) throws Exception {
        final Path dir = Path.of(args[0]);
        final long lingerNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        final BlockingQueue<Integer> phased = new ArrayBlockingQueue<>(64);
        for (int k = 1; k + 1 < args.length; k++) {
            final int count = Integer.parseInt(args[k + 1]);
            final long until = System.nanoTime() + lingerNanos;
            while (!Files.exists(dir.resolve("go-" + k))) {
                if (System.nanoTime() - until > 0) {
                    System.err.println("no go-" + k + " within the linger time");
                    System.exit(3);
                }
                Thread.sleep(20);
            }
            long offered = 0;
            for (int i = 0; i < count; i++) {
                if (phased.offer(i)) {
                    offered++;
                }
                phased.poll();
            }
            final Path tmp = dir.resolve("done-" + k + ".tmp");
            Files.writeString(tmp, "offered=" + offered + "\n");
            Files.move(tmp, dir.resolve("done-" + k), StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
