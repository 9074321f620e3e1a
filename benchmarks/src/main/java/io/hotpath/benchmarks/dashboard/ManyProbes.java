package io.hotpath.benchmarks.dashboard;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A program with many probes for measuring what the operator surface costs per probe: it writes and compiles a class
 * {@code gen.ManyProbes} with {@code count} small methods {@code m0..m<count-1>} (measured by the agent through
 * {@code -Dhotpath.probes=gen.ManyProbes#m*}), then calls every one of them {@code rate} times a second until
 * {@code seconds} have passed. Needs a JDK (it uses the system Java compiler).
 *
 * <p>Usage: {@code ManyProbes <count> <rate per probe> <seconds>}
 */
public final class ManyProbes {
    private ManyProbes() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException(
                    "usage: ManyProbes <count> <calls per probe per second> <seconds>, got " + args.length + " args");
        }
        final int count = positive("count", args[0]);
        final int rate = positive("rate", args[1]);
        final int seconds = positive("seconds", args[2]);
        final Path dir = Files.createTempDirectory("many-probes-");
        final Class<?> generated = compile(dir, count);
        final Method run = generated.getMethod("run");
        System.out.println("ready probes=" + count);
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        final long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        long sink = 0;
        while (System.nanoTime() < end) {
            sink += (Long) run.invoke(null);
            next += period;
            final long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        System.out.println("done sink=" + sink);
    }

    private static int positive(String name, String value) {
        final int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive whole number, got '" + value + "'", e);
        }
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be a positive whole number, got '" + value + "'");
        }
        return v;
    }

    private static Class<?> compile(Path dir, int count) throws IOException, ReflectiveOperationException {
        final StringBuilder src = new StringBuilder("package gen;\npublic final class ManyProbes {\n");
        src.append("  static long x;\n");
        for (int i = 0; i < count; i++) {
            src.append("  public static long m").append(i).append("() { return ++x; }\n");
        }
        src.append("  public static long run() {\n    long s = 0;\n");
        for (int i = 0; i < count; i++) {
            src.append("    s += m").append(i).append("();\n");
        }
        src.append("    return s;\n  }\n}\n");
        final Path file = dir.resolve("gen/ManyProbes.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, src);
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run ManyProbes on a JDK, not a JRE");
        }
        if (javac.run(null, null, null, "-d", dir.toString(), file.toString()) != 0) {
            throw new IllegalStateException("compiling " + file + " failed");
        }
        final URLClassLoader loader =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, ManyProbes.class.getClassLoader());
        return Class.forName("gen.ManyProbes", true, loader);
    }
}
