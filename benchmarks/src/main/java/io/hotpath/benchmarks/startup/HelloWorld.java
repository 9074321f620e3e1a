package io.hotpath.benchmarks.startup;

import benchapp.QueueSites;
import java.util.concurrent.BlockingQueue;

/**
 * The start-up and footprint subject: prints one line, creates one {@code ArrayBlockingQueue} and exits. The queue
 * is created in {@link QueueSites} (outside {@code io.hotpath}, which the agent never rewrites), so with the agent
 * attached start-up includes one real rewrite, one probe registration and loading the tracked class. The printed
 * line names the queue's class, which benchmarks/run.sh checks.
 */
public final class HelloWorld {
    private HelloWorld() {}

    public static void main(String[] args) {
        final BlockingQueue<String> queue = QueueSites.arrayBlockingQueue(16);
        queue.offer("hello");
        System.out.println(queue.poll() + ", world (queue: " + queue.getClass().getName() + ")");
    }
}
