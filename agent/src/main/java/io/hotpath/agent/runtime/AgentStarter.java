package io.hotpath.agent.runtime;

import io.hotpath.agent.alert.Alerter;
import io.hotpath.agent.analyze.Analyzer;
import io.hotpath.agent.config.Config;
import io.hotpath.agent.config.Parsers;
import io.hotpath.agent.config.Setting;
import io.hotpath.agent.config.Settings;
import io.hotpath.agent.instrument.ClassFilter;
import io.hotpath.agent.instrument.ProbeNames;
import io.hotpath.agent.instrument.advice.AdviceInstaller;
import io.hotpath.agent.instrument.advice.AdviceModule;
import io.hotpath.agent.instrument.advice.AdviceSupport;
import io.hotpath.agent.instrument.jdk.ConstructionSiteTransformer;
import io.hotpath.agent.instrument.jdk.TrackedTypes;
import io.hotpath.agent.instrument.method.MethodProbeSpec;
import io.hotpath.agent.instrument.method.MethodProbesModule;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.telemetry.AgentExport;
import io.hotpath.bootstrap.Probes;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * Starts the agent inside its isolated class loader: reads the configuration, puts the recording core on the
 * bootstrap class path, installs the instrumentation and starts the background thread. Called reflectively by
 * {@code io.hotpath.agent.HotpathAgent}.
 */
public final class AgentStarter {
    private static volatile String version = "dev";

    private AgentStarter() {}

    /** Entry from HotpathAgent; never throws. */
    public static void start(String agentArgs, Instrumentation inst, boolean attached, File agentJar) {
        final long startNanos = System.nanoTime();
        version = version(agentJar);
        final Config config = Config.load(agentArgs);
        AgentLog.threshold(config.get(Settings.LOG_LEVEL));
        for (String problem : config.problems()) {
            AgentLog.warn(problem);
        }
        if (!config.get(Settings.ENABLED)) {
            AgentLog.info("disabled by hotpath.enabled=false (" + config.origin(Settings.ENABLED)
                    + "); nothing is instrumented");
            return;
        }
        try {
            inst.appendToBootstrapClassLoaderSearch(new JarFile(agentJar));
            openJdkQueuesToCore(inst);
            final int capacity = config.get(Settings.PROBES_MAX);
            if (!Probes.configure(capacity)) {
                AgentLog.warn("hotpath.probes.max=" + capacity + " not applied: the probe table already exists"
                        + " with capacity " + Probes.capacity());
            }
            io.hotpath.bootstrap.Flows.capacity(config.get(Settings.PIPELINE_EDGES_MAX));
            io.hotpath.bootstrap.Probe.initialSampleMask(
                    SamplingController.initialMask(config.get(Settings.SAMPLING_RATE)));
            final long configured = System.nanoTime();
            final List<String> installed = installInstrumentation(config, inst, attached);
            io.hotpath.agent.operate.Operations.modulesInstalled(installed);
            final long instrumented = System.nanoTime();
            // OTLP export of metrics and events (io.hotpath.agent.telemetry): the SDK is built on its own daemon
            // thread,
            // started as early as it may be (after the instrumentation, whose socket advice gate must be in place
            // before the exporter defines a socket class) so that it overlaps the rest of premain and the
            // application's start, and a JVM that exits early waits less for its final export.
            AgentExport.start(config, version, startNanos);
            final long exportStarted = System.nanoTime();
            startColdSide(config, startNanos);
            if (config.get(Settings.JIT_DIRECTIVES)) {
                JitDirectives.installLater(JMX_DELAY_NANOS);
            }
            final long coldStarted = System.nanoTime();
            // No String.format here: its first use loads the Formatter and locale data, some 5 ms of premain.
            AgentLog.info("hotpath " + version + " started in " + millis(coldStarted - startNanos) + " ms ("
                    + (attached ? "attached" : "premain") + "); instrumenting: "
                    + (installed.isEmpty() ? "nothing" : String.join(", ", installed)));
            AgentExport.started(version, attached, installed, startNanos);
            AgentLog.debug("start-up phases: configuration " + millis(configured - startNanos) + " ms, instrumentation "
                    + millis(instrumented - configured) + " ms, export " + millis(exportStarted - instrumented)
                    + " ms, background thread " + millis(coldStarted - exportStarted) + " ms");
        } catch (Throwable t) {
            AgentLog.error("start failed; the application continues without measurement: " + t);
        }
    }

    private static List<String> installInstrumentation(Config config, Instrumentation inst, boolean attached) {
        final List<String> installed = new ArrayList<>();
        final ClassFilter filter = new ClassFilter(
                config.get(Settings.INCLUDE), config.get(Settings.EXCLUDE), config.get(Settings.INCLUDE_JDK));
        final ProbeNames names = new ProbeNames(config.get(Settings.RENAME));
        installConstructionSites(config, inst, attached, filter, names, installed);
        installAdvice(config, inst, filter, names, installed);
        // Optimizer (io.hotpath.agent.optimize): declared tunable fields and the optimizer; nothing at all when
        // hotpath.optimizer.mode=off.
        installed.addAll(io.hotpath.agent.optimize.OptimizerRuntime.install(config, inst, attached));
        return installed;
    }

    /**
     * The tracked JDK queues read the JDK's own element count without its lock, to decide whether a blocking call is
     * about to wait (and so whether to count and time it), and hold the JDK's locks around its {@code clear} to count
     * exactly. That needs {@code java.util.concurrent} opened to the recording core, and to nothing else; it must
     * happen before a tracked queue class initializes. Without it the queues still behave as the JDK's but do not
     * count waits.
     */
    private static void openJdkQueuesToCore(Instrumentation inst) {
        final Module javaBase = Object.class.getModule();
        final Module core = Probes.class.getModule();
        if (!javaBase.isOpen("java.util.concurrent", core)) {
            inst.redefineModule(
                    javaBase, Set.of(), Map.of(), Map.of("java.util.concurrent", Set.of(core)), Set.of(), Map.of());
        }
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private static void installAdvice(
            Config config, Instrumentation inst, ClassFilter filter, ProbeNames names, List<String> installed) {
        final List<AdviceModule> modules = new ArrayList<>();
        final MethodProbeSpec.Parsed probes = MethodProbeSpec.parseAll(config.get(Settings.PROBES));
        probes.problems().forEach(AgentLog::warn);
        if (!probes.specs().isEmpty()) {
            modules.add(new MethodProbesModule(probes.specs()));
        }
        io.hotpath.bootstrap.ipc.Endpoints.configure(config.get(Settings.IPC_ENDPOINTS_MAX));
        if (config.get(Settings.INSTRUMENT_SOCKETS)) {
            modules.add(io.hotpath.agent.instrument.net.SocketsModule.openedTo(inst));
        }
        if (config.get(Settings.INSTRUMENT_NETTY)) {
            modules.add(new io.hotpath.agent.instrument.netty.NettyModule());
        }
        if (config.get(Settings.INSTRUMENT_AERON)) {
            modules.add(new io.hotpath.agent.instrument.aeron.AeronModule());
        }
        if (modules.isEmpty()) {
            return;
        }
        // Advice is inlined and no class is injected, so Byte Buddy never needs sun.misc.Unsafe; safe mode keeps
        // JDK 24+ from printing Unsafe deprecation warnings into the application's stderr. (The property name is
        // the relocated one: it affects only our copy of Byte Buddy.)
        if (System.getProperty("io.hotpath.shaded.net.bytebuddy.safe") == null) {
            System.setProperty("io.hotpath.shaded.net.bytebuddy.safe", "true");
        }
        new AdviceInstaller()
                .install(inst, modules, new AdviceSupport(AgentStarter.class.getClassLoader(), filter, names));
        for (AdviceModule m : modules) {
            installed.add(m.name());
        }
        ADVICE_MODULES.addAll(modules);
    }

    /** Advice modules in force, asked at exit to report entries that matched nothing. */
    static final List<AdviceModule> ADVICE_MODULES = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static void installConstructionSites(
            Config config,
            Instrumentation inst,
            boolean attached,
            ClassFilter filter,
            ProbeNames names,
            List<String> installed) {
        final boolean queues = config.get(Settings.INSTRUMENT_QUEUES);
        final boolean executors = config.get(Settings.INSTRUMENT_EXECUTORS);
        if (!queues && !executors) {
            return;
        }
        final TrackedTypes types = new TrackedTypes(queues, executors);
        if (types.isEmpty()) {
            return;
        }
        final ConstructionSiteTransformer transformer =
                new ConstructionSiteTransformer(types, filter, names, config.get(Settings.NAME_BY_FIELD));
        // Load the filter's classes before the transformer is live; the rest it loads lazily, from our own loader,
        // whose classes it never transforms.
        transformer.transform(null, null, "java/lang/Object", null, null, new byte[0]);
        inst.addTransformer(transformer, true);
        if (queues) {
            installed.add("queues");
        }
        if (executors) {
            installed.add("executors");
        }
        if (attached || config.get(Settings.INCLUDE_JDK)) {
            Retransformer.retransformLoaded(inst, filter);
        }
    }

    private static void startColdSide(Config config, long startNanos) {
        final Map<String, String> meta = new LinkedHashMap<>();
        meta.put("agent_version", version);
        meta.put("java_version", System.getProperty("java.version", "?"));
        meta.put("java_vendor", System.getProperty("java.vendor", "?"));
        meta.put("pid", String.valueOf(ProcessHandle.current().pid()));
        meta.put("command", mainCommand());
        meta.put("started", Instant.now().toString());
        meta.put("probe_capacity", String.valueOf(Probes.capacity()));
        final Duration tick = config.get(Settings.TICK);
        final Duration idleTick = config.get(Settings.TICK_IDLE);
        if (idleTick.compareTo(tick) < 0) {
            AgentLog.warn(Settings.TICK_IDLE.key() + "=" + Parsers.format(idleTick) + " is shorter than "
                    + Settings.TICK.key() + "=" + Parsers.format(tick) + " (allowed: no shorter); ticking every "
                    + Parsers.format(tick));
        }
        final ColdLoop loop = new ColdLoop(
                tick,
                idleTick,
                config.get(Settings.SAMPLING_RATE),
                config.get(Settings.DUMP_FILE).map(Path::of),
                config.get(Settings.DUMP_INTERVAL),
                config.get(Settings.SUMMARY_INTERVAL),
                config.get(Settings.SUMMARY_TOP),
                meta,
                startNanos);
        final Analyzer analyzer = Analyzer.create(config);
        final Alerter alerter = analyzer == null ? null : Alerter.create(config);
        loop.analyze(analyzer, alerter);
        final io.hotpath.agent.optimize.Optimizer optimizer = io.hotpath.agent.optimize.OptimizerRuntime.optimizer();
        runTimeSettings(config, loop, analyzer, alerter, optimizer);
        config.get(Settings.OVERHEAD_BUDGET).ifPresent(loop::budget);
        if (optimizer != null) {
            loop.optimize(OptimizerFeed.of(
                    optimizer, config.get(Settings.OPTIMIZER_WINDOW).toNanos()));
        }
        startOperatorSurfaces(config, loop, meta, startNanos);
        // In the agent's thread group: its CPU and allocation count as the agent's own (SelfCost).
        final Thread thread = io.hotpath.bootstrap.ipc.AgentThreads.newThread(loop, "hotpath-cold");
        thread.setPriority(Thread.NORM_PRIORITY);
        thread.start();
        final Duration shutdownTimeout = config.get(Settings.SHUTDOWN_TIMEOUT);
        final Thread hook = new Thread(
                () -> {
                    AgentExport.beginExitFlush(); // the final OTLP export runs alongside the exit work
                    finish(loop, shutdownTimeout);
                    AgentExport.awaitExitFlush();
                },
                "hotpath-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        AgentCommands.started(loop, hook);
        config.get(Settings.SUMMARY_INTERVAL)
                .ifPresent(d -> AgentLog.info("summary on stderr every " + Parsers.format(d)));
        config.get(Settings.DUMP_FILE)
                .ifPresent(f -> AgentLog.info("dump to " + f
                        + config.get(Settings.DUMP_INTERVAL)
                                .map(d -> " every " + Parsers.format(d) + " and at exit")
                                .orElse(" at exit")));
    }

    /**
     * What each setting changeable at run time changes in the running parts (docs/configuration.md marks them); a
     * part that is off (analyzer, alerts) registers nothing, and a change of its settings answers that it is off.
     */
    private static void runTimeSettings(
            Config config,
            ColdLoop loop,
            Analyzer analyzer,
            Alerter alerter,
            io.hotpath.agent.optimize.Optimizer optimizer) {
        final io.hotpath.agent.operate.RunTimeSettings rts =
                io.hotpath.agent.operate.RunTimeSettings.install(new io.hotpath.agent.operate.RunTimeSettings(config));
        rts.on(Settings.SUMMARY_INTERVAL, c -> loop.summaryEvery(c.get(Settings.SUMMARY_INTERVAL)));
        rts.on(Settings.SUMMARY_TOP, c -> loop.summaryTop(c.get(Settings.SUMMARY_TOP)));
        rts.on(Settings.DUMP_INTERVAL, c -> {
            if (c.get(Settings.DUMP_FILE).isEmpty()) {
                throw new IllegalArgumentException("no dump file (hotpath.dump.file is read at start only)");
            }
            loop.dumpEvery(c.get(Settings.DUMP_INTERVAL));
        });
        if (analyzer != null) {
            for (Setting<?> s : Settings.CHANGEABLE_AT_RUN_TIME) {
                if (s.key().startsWith("hotpath.analyzer.")) {
                    rts.on(s, c -> analyzer.thresholds(checked(io.hotpath.agent.analyze.AnalyzerConfig.from(c))));
                }
            }
        }
        if (optimizer != null) {
            rts.on(Settings.OPTIMIZER_SLO_P99, c -> optimizer
                    .objective()
                    .sloP99Millis(c.get(Settings.OPTIMIZER_SLO_P99).toNanos() / 1e6));
        }
        if (alerter != null) {
            final java.util.function.Consumer<Config> limits = c -> alerter.reconfigure(
                    c.get(Settings.ALERTS_MIN_SEVERITY),
                    c.get(Settings.ALERTS_COOLDOWN),
                    c.get(Settings.ALERTS_RATE_LIMIT));
            rts.on(Settings.ALERTS_MIN_SEVERITY, limits);
            rts.on(Settings.ALERTS_COOLDOWN, limits);
            rts.on(Settings.ALERTS_RATE_LIMIT, limits);
            rts.on(Settings.ALERTS_ESCALATE_AFTER, c -> alerter.acks()
                    .escalateAfter(c.get(Settings.ALERTS_ESCALATE_AFTER)
                            .orElse(Duration.ZERO)
                            .toMillis()));
        }
    }

    /** Refuses thresholds whose warning level is past their critical one (the detectors would never warn). */
    private static io.hotpath.agent.analyze.AnalyzerConfig checked(io.hotpath.agent.analyze.AnalyzerConfig c) {
        final String problem = c.thresholdProblem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return c;
    }

    /** How long after start the JMX bean is registered. */
    private static final long JMX_DELAY_NANOS = 2_000_000_000L;

    /** The operations layer and the HTTP endpoint (when hotpath.http.port is set) over the loop's published state. */
    private static void startOperatorSurfaces(Config config, ColdLoop loop, Map<String, String> meta, long startNanos) {
        final io.hotpath.agent.operate.LiveState live = new io.hotpath.agent.operate.LiveState();
        loop.publishTo(live);
        final io.hotpath.agent.operate.Operations ops = io.hotpath.agent.operate.Operations.install(
                new io.hotpath.agent.operate.Operations(live, meta, startNanos));
        startTools(config);
        config.get(Settings.HTTP_PORT)
                .ifPresent(port -> io.hotpath.agent.http.HttpEndpoint.start(
                        config.get(Settings.HTTP_HOST), port, ops, config.get(Settings.HTTP_TOKEN)));
        if (config.get(Settings.JMX_ENABLED)) {
            // On an agent thread, a few seconds after start: the platform MBean server's first use loads JMX (some
            // 20 ms, not premain's business) and java.util.logging; an application that picks its own log manager at
            // start has done so by then.
            io.hotpath.agent.operate.AgentMBean.registerLater(ops, JMX_DELAY_NANOS);
        }
    }

    /** The debug tools: the tracer (and the trace asked for at start), what queue-contents reads may show. */
    private static void startTools(Config config) {
        final java.nio.file.Path dir =
                java.nio.file.Path.of(config.get(Settings.TRACE_DIR).orElse(System.getProperty("java.io.tmpdir")));
        final io.hotpath.agent.tools.Tracer tracer =
                io.hotpath.agent.tools.Tracer.install(new io.hotpath.agent.tools.Tracer(
                        dir, config.get(Settings.TRACE_DURATION), config.get(Settings.TRACE_MAX)));
        io.hotpath.agent.operate.Operations.contents(
                config.get(Settings.INSPECT_CONTENTS_ENABLED), config.get(Settings.INSPECT_CONTENTS_MAX_CHARS));
        config.get(Settings.TRACE_PROBE).ifPresent(tracer::startWhenRegistered);
    }

    /** Runs the exit work on its own daemon thread so a stuck file system cannot hold the JVM's exit. */
    private static void finish(ColdLoop loop, Duration timeout) {
        loop.stop();
        final Thread worker = new Thread(loop::finish, "hotpath-exit");
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            AgentLog.warn("exit work (final dump/summary) did not finish within hotpath.shutdown.timeout="
                    + Parsers.format(timeout) + "; the JVM exits without it");
        }
    }

    private static String mainCommand() {
        final String command = System.getProperty("sun.java.command", "");
        final int space = command.indexOf(' ');
        final String main = space > 0 ? command.substring(0, space) : command;
        return main.isEmpty() ? ManagementFactory.getRuntimeMXBean().getName() : main;
    }

    /** The agent's version, from its jar's manifest. */
    public static String version() {
        return version;
    }

    private static String version(File agentJar) {
        try (JarFile jar = new JarFile(agentJar, false)) {
            final String v = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            return v == null ? "dev" : v;
        } catch (java.io.IOException | RuntimeException e) {
            return "dev";
        }
    }
}
