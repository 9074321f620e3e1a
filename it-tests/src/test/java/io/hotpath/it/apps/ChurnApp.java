package io.hotpath.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Class-loader churn: many short-lived loaders, each defining its own copy of {@link Worker} under a name of its own
 * (so each brings new construction sites, new probe names), whose construction sites (queues, a pool, a socket) the
 * agent instruments; each loader is dropped at once. Weak references to a
 * sample of the loaders tell whether anything (the agent) still holds them. Prints metaspace and class counts.
 */
public final class ChurnApp {
    private ChurnApp() {}

    /** Defined again by every loader; what it constructs goes through the agent's construction sites. */
    public static final class Worker implements Runnable {
        @Override
        public void run() {
            final java.util.concurrent.ArrayBlockingQueue<Integer> q = new java.util.concurrent.ArrayBlockingQueue<>(4);
            q.offer(1);
            q.poll();
            final java.util.concurrent.LinkedBlockingQueue<Integer> l =
                    new java.util.concurrent.LinkedBlockingQueue<>();
            l.offer(2);
            l.poll();
            final java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(
                    1, 1, 0, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>());
            try {
                pool.submit(() -> 1).get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                pool.shutdown();
            }
            try (java.nio.channels.DatagramChannel d = java.nio.channels.DatagramChannel.open()) {
                d.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
                d.send(java.nio.ByteBuffer.wrap(new byte[] {1}), d.getLocalAddress());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Defines one class itself (child first) and leaves everything else to its parent. */
    static final class OneClassLoader extends ClassLoader {
        private final String own;
        private final byte[] bytes;

        OneClassLoader(String own, byte[] bytes) {
            super("churn", ChurnApp.class.getClassLoader());
            this.own = own;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(own)) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        c = defineClass(name, bytes, 0, bytes.length);
                    }
                    return c;
                }
            }
            return super.loadClass(name, resolve);
        }
    }

    private static long metaspaceUsed() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals("Metaspace")) {
                return p.getUsage().getUsed();
            }
        }
        return -1;
    }

    private static void settle() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    public static void main(String[] args) throws Exception {
        final int loaders = Integer.parseInt(args[0]);
        final byte[] bytes;
        try (InputStream in = ChurnApp.class.getResourceAsStream("ChurnApp$Worker.class")) {
            bytes = in.readAllBytes();
        }
        final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        final List<WeakReference<ClassLoader>> sample = new ArrayList<>();
        // Warm-up: the agent's and the JDK's own classes for this work are loaded before the baseline is taken.
        for (int i = 0; i < 100; i++) {
            runOne(bytes, null);
        }
        settle();
        final long metaBefore = metaspaceUsed();
        final long loadedBefore = classes.getLoadedClassCount();
        for (int i = 0; i < loaders; i++) {
            runOne(bytes, i % 100 == 0 ? sample : null);
        }
        settle();
        final long metaAfter = metaspaceUsed();
        final long loadedAfter = classes.getLoadedClassCount();
        int cleared = 0;
        for (WeakReference<ClassLoader> w : sample) {
            if (w.get() == null) {
                cleared++;
            }
        }
        System.out.println("TRUTH loaders=" + loaders + " sample=" + sample.size() + " cleared=" + cleared
                + " metaspaceBefore=" + metaBefore + " metaspaceAfter=" + metaAfter + " loadedBefore=" + loadedBefore
                + " loadedAfter=" + loadedAfter + " unloaded=" + classes.getUnloadedClassCount());
    }

    private static int defined;

    /**
     * {@link Worker}'s class file with its name replaced everywhere by one of the same length, {@code
     * ChurnApp$W00042}: the constant pool keeps its layout, so the class stays valid under its new name.
     */
    static byte[] renamed(byte[] bytes, String from, String to) {
        final byte[] f = from.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final byte[] t = to.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final byte[] out = bytes.clone();
        for (int i = 0; i + f.length <= out.length; i++) {
            if (java.util.Arrays.equals(out, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, out, i, t.length);
                i += f.length - 1;
            }
        }
        return out;
    }

    private static void runOne(byte[] bytes, List<WeakReference<ClassLoader>> sample) throws Exception {
        final String to = String.format("ChurnApp$W%05d", defined++);
        final String name = Worker.class.getPackageName() + "." + to;
        final OneClassLoader loader = new OneClassLoader(name, renamed(bytes, "ChurnApp$Worker", to));
        final Class<?> c = loader.loadClass(name);
        if (c.getClassLoader() != loader) {
            throw new IllegalStateException("Worker not defined by its own loader");
        }
        ((Runnable) c.getDeclaredConstructor().newInstance()).run();
        if (sample != null) {
            sample.add(new WeakReference<>(loader));
        }
    }
}
