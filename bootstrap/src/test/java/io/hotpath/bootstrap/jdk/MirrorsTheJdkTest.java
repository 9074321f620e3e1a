package io.hotpath.bootstrap.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent rewrites {@code new X(args)} into {@code new TrackedX(args, probeId)} and {@code Executors.f(args)} into
 * {@code TrackedExecutors.f(args, probeId)}: checked here against the JDK the tests run on (17 and 25 in the build).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MirrorsTheJdkTest {
    private static final Class<?>[][] PAIRS = {
        {ArrayBlockingQueue.class, TrackedArrayBlockingQueue.class},
        {LinkedBlockingQueue.class, TrackedLinkedBlockingQueue.class},
        {LinkedBlockingDeque.class, TrackedLinkedBlockingDeque.class},
        {LinkedTransferQueue.class, TrackedLinkedTransferQueue.class},
        {PriorityBlockingQueue.class, TrackedPriorityBlockingQueue.class},
        {ConcurrentLinkedQueue.class, TrackedConcurrentLinkedQueue.class},
        {ThreadPoolExecutor.class, TrackedThreadPoolExecutor.class},
        {ScheduledThreadPoolExecutor.class, TrackedScheduledThreadPoolExecutor.class},
    };

    private static Class<?>[] plusProbeId(Class<?>[] params) {
        final Class<?>[] withId = Arrays.copyOf(params, params.length + 1);
        withId[params.length] = int.class;
        return withId;
    }

    @Test
    void everyPublicJdkConstructorHasATrackedTwinWithAProbeId() throws Exception {
        final List<String> missing = new ArrayList<>();
        for (Class<?>[] pair : PAIRS) {
            assertThat(pair[1].getSuperclass()).isEqualTo(pair[0]);
            assertThat(pair[1].getMethod("hotpathProbeId").getReturnType()).isEqualTo(int.class);
            for (Constructor<?> jdk : pair[0].getConstructors()) {
                try {
                    final Constructor<?> twin = pair[1].getConstructor(plusProbeId(jdk.getParameterTypes()));
                    assertThat(Modifier.isPublic(twin.getModifiers())).isTrue();
                } catch (NoSuchMethodException e) {
                    missing.add(pair[1].getSimpleName() + Arrays.toString(jdk.getParameterTypes()));
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyPoolFactoryOfExecutorsHasATrackedTwinWithAProbeId() throws Exception {
        final List<String> names = List.of(
                "newFixedThreadPool",
                "newCachedThreadPool",
                "newSingleThreadExecutor",
                "newScheduledThreadPool",
                "newSingleThreadScheduledExecutor");
        int twins = 0;
        for (Method jdk : Executors.class.getMethods()) {
            if (!names.contains(jdk.getName())) {
                continue;
            }
            final Method twin = TrackedExecutors.class.getMethod(jdk.getName(), plusProbeId(jdk.getParameterTypes()));
            assertThat(Modifier.isStatic(twin.getModifiers())).isTrue();
            assertThat(twin.getReturnType()).isEqualTo(jdk.getReturnType());
            assertThat(ExecutorService.class).isAssignableFrom(twin.getReturnType());
            twins++;
        }
        assertThat(twins).isEqualTo(10);
    }
}
