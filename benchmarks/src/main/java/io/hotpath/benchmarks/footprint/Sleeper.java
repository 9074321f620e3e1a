package io.hotpath.benchmarks.footprint;

/**
 * The idle service of benchmarks/footprint.sh: sleeps the given milliseconds and exits. Depends on the JDK only, so the
 * script compiles it with javac alone.
 */
public final class Sleeper {
    private Sleeper() {}

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.parseLong(args[0]));
    }
}
