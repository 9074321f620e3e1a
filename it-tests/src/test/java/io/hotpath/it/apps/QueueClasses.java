package io.hotpath.it.apps;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Prints the runtime classes of queues and pools it creates, and whether any hotpath class is loadable. */
public final class QueueClasses {
    private QueueClasses() {}

    public static void main(String[] args) throws Exception {
        final ArrayBlockingQueue<String> abq = new ArrayBlockingQueue<>(4);
        abq.offer("a");
        final LinkedBlockingQueue<String> lbq = new LinkedBlockingQueue<>();
        lbq.offer("b");
        final ThreadPoolExecutor tpe = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        tpe.execute(() -> {});
        final ExecutorService fixed = Executors.newFixedThreadPool(1);
        fixed.submit(() -> {}).get();
        System.out.println("CLASS abq " + abq.getClass().getName());
        System.out.println("CLASS lbq " + lbq.getClass().getName());
        System.out.println("CLASS tpe " + tpe.getClass().getName());
        System.out.println("CLASS fixed " + fixed.getClass().getName());
        tpe.shutdown();
        fixed.shutdown();
        tpe.awaitTermination(5, TimeUnit.SECONDS);
        fixed.awaitTermination(5, TimeUnit.SECONDS);
    }
}
