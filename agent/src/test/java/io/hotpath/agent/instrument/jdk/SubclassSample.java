package io.hotpath.agent.instrument.jdk;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A pool subclass whose beforeExecute override does not call super; rewritten and loaded anew by the test. */
public class SubclassSample extends ThreadPoolExecutor {
    public int before;

    public SubclassSample() {
        super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    }

    @Override
    protected void beforeExecute(Thread t, Runnable r) {
        before++;
    }
}
