package io.hotpath.it.apps;

import java.lang.management.ManagementFactory;

/** Runs for a while (the agent's analyzer reads thread states meanwhile), then prints whether the JVM-wide thread
 * contention monitoring is on. */
public final class ContentionMonitoringState {
    private ContentionMonitoringState() {}

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.parseLong(args[0]));
        System.out.println("MONITORING " + ManagementFactory.getThreadMXBean().isThreadContentionMonitoringEnabled());
    }
}
