package io.hotpath.it.apps;

import java.util.concurrent.ArrayBlockingQueue;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An application that brings its own Byte Buddy (another version than the agent's): it must keep using its own, and
 * must not be able to load anything of the agent's beyond the entry point and the bootstrap API.
 */
public final class OwnByteBuddyApp {
    private OwnByteBuddyApp() {}

    public static void main(String[] args) throws Exception {
        final Class<?> dynamic = new ByteBuddy()
                .subclass(Object.class)
                .method(ElementMatchers.named("toString"))
                .intercept(FixedValue.value("made by the app's own Byte Buddy"))
                .make()
                .load(OwnByteBuddyApp.class.getClassLoader())
                .getLoaded();
        System.out.println("DYNAMIC " + dynamic.getDeclaredConstructor().newInstance());
        final String location = ByteBuddy.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .getPath();
        System.out.println("BYTEBUDDY-FROM " + location.substring(location.lastIndexOf('/') + 1));
        for (String name : args) {
            try {
                Class.forName(name, false, OwnByteBuddyApp.class.getClassLoader());
                System.out.println("VISIBLE " + name);
            } catch (ClassNotFoundException e) {
                System.out.println("HIDDEN " + name);
            }
        }
        final ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(8);
        for (int i = 0; i < 5; i++) {
            q.offer(i);
        }
        int sum = 0;
        for (Integer v = q.poll(); v != null; v = q.poll()) {
            sum += v;
        }
        System.out.println("QUEUE-SUM " + sum + " " + q.getClass().getName());
    }
}
