package io.hotpath.agent.optimize;

import io.hotpath.agent.config.Config;
import io.hotpath.agent.config.Settings;
import io.hotpath.agent.instrument.ClassFilter;
import io.hotpath.agent.instrument.field.FieldTunableTransformer;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.optimize.control.GuardrailConfig;
import io.hotpath.agent.optimize.control.Objective;
import io.hotpath.agent.optimize.rule.Rule;
import io.hotpath.agent.optimize.tunable.TunableRegistry;
import io.hotpath.agent.optimize.tunable.TunableSpec;
import io.hotpath.bootstrap.Tunables;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Sets the optimizer up at agent start: parses {@code hotpath.tunables} and {@code hotpath.optimizer.rules},
 * installs the field-read transformer, builds the {@link Optimizer}. In {@code off}
 * mode it does nothing at all: no transformer, no thread, no optimizer (so the cold loop has no
 * feed to run). Otherwise the agent's cold loop drives {@link Optimizer#onWindow} once per optimizer window through
 * its {@code OptimizerFeed}, and the audit trail's entries also go out as OTLP log events.
 */
public final class OptimizerRuntime {
    /** Read at runtime every window: the kill switch. */
    public static final String RUNTIME_MODE_PROPERTY = "hotpath.optimizer.mode";

    private static volatile Optimizer optimizer;
    private static volatile FieldTunableTransformer transformer;

    private OptimizerRuntime() {}

    /** The optimizer, or null when off or not started. */
    public static Optimizer optimizer() {
        return optimizer;
    }

    /** The field transformer, or null when no tunable is declared or the optimizer is off. */
    static FieldTunableTransformer transformer() {
        return transformer;
    }

    /** Installs what the configuration asks for; returns the names for the start-up line. Never throws. */
    public static List<String> install(Config config, Instrumentation inst, boolean attached) {
        final List<String> installed = new ArrayList<>();
        try {
            final Mode mode = config.get(Settings.OPTIMIZER_MODE);
            final String declared = config.get(Settings.TUNABLES);
            if (mode == Mode.OFF || mode == null) {
                if (!declared.isBlank()) {
                    AgentLog.info("optimizer off (hotpath.optimizer.mode=off): hotpath.tunables not applied, no"
                            + " field read rewritten");
                }
                return installed;
            }
            final TunableSpec.Parsed specs = TunableSpec.parseAll(declared, 0, Tunables.CAPACITY);
            specs.problems().forEach(AgentLog::warn);
            final Rule.Parsed rules = Rule.parseAll(config.get(Settings.OPTIMIZER_RULES));
            rules.problems().forEach(AgentLog::warn);
            final TunableRegistry registry = new TunableRegistry(specs.specs());
            final GuardrailConfig guard = GuardrailConfig.defaults()
                    .withVerifyWindows(config.get(Settings.OPTIMIZER_VERIFY_WINDOWS))
                    .withCooldown(config.get(Settings.OPTIMIZER_COOLDOWN_WINDOWS), 1)
                    .withFreezeWindows(config.get(Settings.OPTIMIZER_FREEZE_WINDOWS));
            final Objective objective =
                    new Objective(config.get(Settings.OPTIMIZER_SLO_P99).toNanos() / 1e6);
            final AuditTrail audit = new AuditTrail();
            // Every audit entry is also an OTLP log event (or, before export starts, waits in its small buffer).
            audit.addSink(io.hotpath.agent.telemetry.AgentEvents::optimizer);
            optimizer = new Optimizer(
                            mode,
                            registry,
                            rules.rules(),
                            objective,
                            guard,
                            new Random(),
                            audit,
                            () -> Mode.of(System.getProperty(RUNTIME_MODE_PROPERTY)))
                    .discoverPools(true);
            final Optimizer o = optimizer;
            // hotpath.tunable.value: exported with the other metrics on every collection.
            io.hotpath.exporter.metrics.TunableValues.source(o::tunableValues);
            if (!specs.specs().isEmpty()) {
                installTransformer(specs.specs(), registry, inst, attached);
                installed.add("tunables");
            }
            if (mode == Mode.APPLY || !specs.specs().isEmpty() || !rules.rules().isEmpty()) {
                AgentLog.info("optimizer " + mode.word() + ": " + specs.specs().size() + " declared tunable(s), "
                        + rules.rules().size() + " user rule(s), p99 objective " + objective.sloP99Millis() + " ms");
            }
        } catch (Throwable t) {
            AgentLog.error("optimizer not started; the application continues unchanged: " + t);
        }
        return installed;
    }

    private static void installTransformer(
            List<TunableSpec> specs, TunableRegistry registry, Instrumentation inst, boolean attached) {
        final FieldTunableTransformer t =
                new FieldTunableTransformer(specs, new ClassFilter(List.of(), List.of(), false), registry);
        // Load the transformer's classes (ASM included) before it is live, by rewriting a class of our own; classes
        // it loads later come from our loader and are never rewritten.
        try (InputStream in = OptimizerRuntime.class.getResourceAsStream("OptimizerRuntime.class")) {
            if (in != null) {
                t.rewrite("io/hotpath/agent/optimize/OptimizerRuntime", in.readAllBytes());
            }
        } catch (IOException e) {
            AgentLog.debug("tunable transformer warm-up skipped: " + e);
        }
        inst.addTransformer(t, true);
        transformer = t;
        if (attached && inst.isRetransformClassesSupported()) {
            // Attached late: rewrite the declaring classes already loaded (other classes of their packages are
            // rewritten only as they load).
            final Set<String> owners = t.declaringClasses();
            final List<Class<?>> loaded = new ArrayList<>();
            for (Class<?> c : inst.getAllLoadedClasses()) {
                if (owners.contains(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) {
                    loaded.add(c);
                }
            }
            if (!loaded.isEmpty()) {
                try {
                    inst.retransformClasses(loaded.toArray(new Class<?>[0]));
                } catch (Throwable e) {
                    AgentLog.warn("could not rewrite tunable fields of classes already loaded: " + e);
                }
            }
        }
    }
}
