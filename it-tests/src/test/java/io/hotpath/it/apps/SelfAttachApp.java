package io.hotpath.it.apps;

import com.sun.tools.attach.VirtualMachine;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Starts without the agent, creates a queue, attaches the agent jar (args[0], options args[1]) to itself, then creates
 * another queue from the same, already loaded, class: the class must have been retransformed.
 */
public final class SelfAttachApp {
    private SelfAttachApp() {}

    static BlockingQueue<String> makeQueue() {
        return new ArrayBlockingQueue<>(4);
    }

    /** Loads the agent jar with its options into this JVM. */
    static void attach(String agentJar, String options) throws Exception {
        final VirtualMachine vm =
                VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
        try {
            vm.loadAgent(agentJar, options);
        } finally {
            vm.detach();
        }
    }

    public static void main(String[] args) throws Exception {
        final BlockingQueue<String> before = makeQueue();
        before.offer("x");
        System.out.println("BEFORE " + before.getClass().getName());
        attach(args[0], args[1]);
        final BlockingQueue<String> after = makeQueue();
        after.offer("a");
        after.offer("b");
        after.poll();
        System.out.println("AFTER " + after.getClass().getName());
    }
}
