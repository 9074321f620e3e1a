package io.hotpath.agent.operate;

import io.hotpath.agent.alert.AlertAcks;
import io.hotpath.agent.alert.AlertsView;
import io.hotpath.agent.analyze.AnalysisView;
import io.hotpath.agent.config.Setting;
import io.hotpath.agent.config.Settings;
import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.optimize.AuditEntry;
import io.hotpath.agent.optimize.Mode;
import io.hotpath.agent.optimize.Optimizer;
import io.hotpath.agent.optimize.OptimizerRuntime;
import io.hotpath.agent.report.JsonDump;
import io.hotpath.agent.report.JsonWriter;
import io.hotpath.agent.report.PageJson;
import io.hotpath.agent.report.Report;
import io.hotpath.agent.report.Sections;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The reads and writes every operator surface offers (HTTP, JMX), in one place so that they cannot drift apart.
 *
 * <p>Reads are built from the background loop's latest {@link LiveState.Tick}; the rendered dump is cached per tick,
 * so any number of requests between two ticks costs one rendering. Writes never touch the hot side's threads: they use
 * the objects' own thread-safety (the optimizer and the alert acknowledgements are synchronized and written by the
 * loop only for the length of one window or alert; the runtime mode is the optimizer's own kill-switch property) and
 * never run on an application thread. Every write is logged in one line and kept in the operator audit trail (who,
 * what, from, to). Thread-safe.
 */
public final class Operations {
    /** Operator writes kept for {@code /api/audit}. */
    static final int WRITES_KEPT = 1000;

    private static volatile Operations current;

    private final LiveState live;
    private final Map<String, String> meta;
    private final long startNanos;
    private final LongSupplier clock;
    private final Supplier<Optimizer> optimizer;

    /** The instrumentation modules installed at start (names as in {@code hotpath.instrument.<name>}). */
    private static volatile Set<String> modulesInstalled = Set.of();

    /** The tick whose dump {@link #dumpText} holds; guarded by this. */
    private LiveState.Tick dumpTick;

    private String dumpText;
    private Report report;

    /** The tick the cached page documents are of, and those documents by {@code top}; guarded by {@link #pages}. */
    private LiveState.Tick pageTick;

    private final Map<Integer, String> pages = new LinkedHashMap<>();

    /** Page documents kept per tick: one per {@code top} asked for, a few at most (each a few tens of KB). */
    private static final int PAGES_KEPT = 4;

    private final ArrayDeque<OperatorWrite> writes = new ArrayDeque<>();
    private long writesTotal;

    /**
     * One operator write, as audited.
     *
     * @param epochMillis when
     * @param who {@code http} or {@code jmx}
     * @param what the write: {@code ack}, {@code mode}, {@code tunable}, {@code tunable-reset}, {@code probe},
     *     {@code setting}
     * @param target what it changed: an alert id, a tunable, probe or setting name
     * @param from the value before, as text (empty when none)
     * @param to the value after
     */
    public record OperatorWrite(long epochMillis, String who, String what, String target, String from, String to) {
        /** The log line. */
        public String line() {
            return "operator " + what + " " + target + " " + (from.isEmpty() ? "?" : from) + " -> " + to + " (by " + who
                    + ")";
        }
    }

    /**
     * The outcome of an operation: an HTTP-like status and a JSON document ({@code {"error":"..."}} when not 2xx).
     *
     * @param status 200, or 400 (bad value), 404 (no such thing), 409 (not possible in this state), 503 (no data yet)
     * @param json the document
     * @param line the error's one line, for a text surface (the attach CLI); null when done
     */
    public record Result(int status, String json, String line) {
        /** A 200. */
        public static Result ok(String json) {
            return new Result(200, json, null);
        }

        /** An error with one line naming the bad value and what is allowed. */
        public static Result error(int status, String line) {
            final String one = oneLine(line);
            final StringBuilder b = new StringBuilder(one.length() + 16);
            new JsonWriter(b).beginObject().name("error").value(one).endObject();
            return new Result(status, b.append('\n').toString(), one);
        }

        /** Whether the operation was done. */
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /**
     * @param live what the loop publishes
     * @param meta the dump's {@code meta} object
     * @param startNanos the agent's start, for uptime
     */
    public Operations(LiveState live, Map<String, String> meta, long startNanos) {
        this(live, meta, startNanos, System::currentTimeMillis, OptimizerRuntime::optimizer);
    }

    /** With a clock and an optimizer of the caller's; for tests. */
    public Operations(
            LiveState live,
            Map<String, String> meta,
            long startNanos,
            LongSupplier clock,
            Supplier<Optimizer> optimizer) {
        this.live = live;
        this.meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        this.startNanos = startNanos;
        this.clock = clock;
        this.optimizer = optimizer;
    }

    /** Makes {@code ops} the agent's operations layer (for surfaces started later); returns it. */
    public static Operations install(Operations ops) {
        current = ops;
        return ops;
    }

    /** The agent's operations layer, or null before the agent started its background loop. */
    public static Operations current() {
        return current;
    }

    /** The live state the loop publishes into. */
    public LiveState live() {
        return live;
    }

    // ---------------------------------------------------------------- reads

    /**
     * The dump document ({@code docs/dump-format.md}) of the latest tick, or null before the first tick. Its rates and
     * interval percentiles cover the last one to two seconds. Each probe carries its state ({@code on}, {@code off},
     * {@code module-off}, {@code failed}) as read at that tick.
     */
    public synchronized String dump() {
        final LiveState.Tick t = live.tick();
        if (t == null) {
            return null;
        }
        refresh(t);
        return dumpText;
    }

    /** Rebuilds the cached report and dump when the tick changed; holding the lock. */
    private void refresh(LiveState.Tick t) {
        if (t != dumpTick) {
            report = Report.of(t.latest(), t.base(), startNanos);
            dumpText = JsonDump.toJson(report, meta, t.analysis(), t.alerts());
            dumpTick = t;
        }
    }

    /**
     * The live page's document ({@code GET /api/page}, {@link PageJson}) of the latest tick: the {@code top} busiest
     * probes and those findings and alerts name, with health, findings, alerts, tunables and the newest audit entries.
     * Cached per tick and {@code top}, like the dump, so a page polling every second costs one rendering per tick.
     *
     * @param top 1 to {@link PageJson#TOP_MAX}
     */
    public Result page(int top) {
        if (top < 1 || top > PageJson.TOP_MAX) {
            return Result.error(
                    400, "top=" + top + " not allowed; allowed: a whole number from 1 to " + PageJson.TOP_MAX);
        }
        final LiveState.Tick t = live.tick();
        if (t == null) {
            return noData();
        }
        synchronized (pages) {
            if (t != pageTick) {
                pages.clear();
                pageTick = t;
            }
            String json = pages.get(top);
            if (json == null) {
                final Optimizer o = optimizer.get();
                json = PageJson.toJson(
                        t.latest(),
                        t.base(),
                        startNanos,
                        meta,
                        t.analysis(),
                        t.alerts(),
                        o == null ? null : o.report(),
                        top);
                if (pages.size() == PAGES_KEPT) {
                    pages.remove(pages.keySet().iterator().next());
                }
                pages.put(top, json);
            }
            return Result.ok(json);
        }
    }

    /** {@code {"probes":[...],"probe_table":{...}}}, as in the dump. */
    public synchronized Result probes() {
        final LiveState.Tick t = live.tick();
        if (t == null) {
            return noData();
        }
        refresh(t);
        return Result.ok(Sections.probes(report));
    }

    /** {@code {"health":{...}}}, as in the dump. */
    public Result health() {
        final AnalysisView v = analysis();
        return v == null ? analyzerOff() : Result.ok(Sections.health(v));
    }

    /** {@code {"findings":[...]}}, as in the dump. */
    public Result findings() {
        final AnalysisView v = analysis();
        return v == null ? analyzerOff() : Result.ok(Sections.findings(v));
    }

    /** {@code {"incidents":[...]}}, as in the dump. */
    public Result incidents() {
        final AnalysisView v = analysis();
        return v == null ? analyzerOff() : Result.ok(Sections.incidents(v));
    }

    /** {@code {"pipeline":{...}}}: the learned stages and edges, as in the dump. */
    public Result pipeline() {
        final AnalysisView v = analysis();
        return v == null ? analyzerOff() : Result.ok(Sections.pipeline(v));
    }

    /** {@code {"alerts":{...}}} with ids and acknowledgement, as in the dump. */
    public Result alerts() {
        final AlertsView a = alertsView();
        return a == null
                ? Result.error(409, "alerts are off (hotpath.alerts.enabled=false or hotpath.analyzer.enabled=false)")
                : Result.ok(Sections.alerts(a));
    }

    /** {@code {"mode":"...","tunables":[...]}}, as in the dump's optimizer section. */
    public Result tunables() {
        final Optimizer o = optimizer.get();
        return o == null ? optimizerOff() : Result.ok(Sections.tunables(o.report()));
    }

    /**
     * {@code {"audit_total":N,"audit":[...],"operator_total":N,"operator":[...]}}: the optimizer's audit trail (as in
     * the dump) and the operator writes, oldest first.
     */
    public Result audit() {
        final Optimizer o = optimizer.get();
        final List<AuditEntry> entries = o == null ? List.of() : o.audit().entries();
        final long total = o == null ? 0 : o.audit().total();
        final String optimizerPart = Sections.audit(total, entries);
        final StringBuilder b = new StringBuilder(optimizerPart.length() + 256);
        // The optimizer's members, then the operator's, in one object.
        b.append(optimizerPart, 0, optimizerPart.lastIndexOf('}'));
        final List<OperatorWrite> kept;
        final long writesSoFar;
        synchronized (writes) {
            kept = new ArrayList<>(writes);
            writesSoFar = writesTotal;
        }
        final StringBuilder tail = new StringBuilder(128 + 128 * kept.size());
        final JsonWriter w = new JsonWriter(tail);
        w.beginObject();
        w.name("operator_total").value(writesSoFar);
        w.name("operator").beginArray();
        for (OperatorWrite e : kept) {
            w.newline();
            w.beginObject();
            w.name("time_ms").value(e.epochMillis());
            w.name("who").value(e.who());
            w.name("what").value(e.what());
            w.name("target").value(e.target());
            w.name("from").value(e.from());
            w.name("to").value(e.to());
            w.endObject();
        }
        if (!kept.isEmpty()) {
            w.newline();
        }
        w.endArray();
        w.endObject();
        b.append(',').append(tail, 1, tail.length()).append('\n');
        return Result.ok(b.toString());
    }

    /** {@code {"self":{...}}}, as in the dump ({@code {}} before the first measurement). */
    public Result overhead() {
        return Result.ok(Sections.self());
    }

    /** Overall health 0..1, or 1 when the analyzer is off; for JMX. */
    public double healthScore() {
        final AnalysisView v = analysis();
        return v == null ? 1.0 : v.health();
    }

    /** {@code healthy}, {@code degraded} or {@code unhealthy} ({@code healthy} when the analyzer is off). */
    public String healthState() {
        final AnalysisView v = analysis();
        return v == null ? "healthy" : v.state().label();
    }

    /** Active and recently resolved findings. */
    public int findingCount() {
        final AnalysisView v = analysis();
        return v == null ? 0 : v.findings().size();
    }

    /** The optimizer's mode now ({@code off} when there is no optimizer). */
    public String mode() {
        final Optimizer o = optimizer.get();
        return o == null ? Mode.OFF.word() : o.mode().word();
    }

    private AnalysisView analysis() {
        final LiveState.Tick t = live.tick();
        return t == null ? null : t.analysis();
    }

    private AlertsView alertsView() {
        final LiveState.Tick t = live.tick();
        return t == null ? null : t.alerts();
    }

    private static Result noData() {
        return Result.error(503, "no data yet: the first tick has not run; retry shortly");
    }

    private Result analyzerOff() {
        return live.tick() == null
                ? noData()
                : Result.error(409, "the analyzer is off (hotpath.analyzer.enabled=false)");
    }

    private static Result optimizerOff() {
        return Result.error(
                409, "the optimizer is off (hotpath.optimizer.mode=off at start); it cannot be started at run time");
    }

    // ---------------------------------------------------------------- writes

    /** Acknowledges alert {@code id}. */
    public Result acknowledge(long id, String who) {
        final AlertsView a = alertsView();
        final AlertAcks acks = a == null ? null : a.acks();
        if (acks == null) {
            return live.tick() == null
                    ? noData()
                    : Result.error(
                            409, "alerts are off (hotpath.alerts.enabled=false or hotpath.analyzer.enabled=false)");
        }
        final String problem = acks.acknowledge(id, who, clock.getAsLong());
        if (problem != null) {
            return Result.error(404, problem);
        }
        audit(who, "ack", "alert " + id, "unacknowledged", "acknowledged");
        return done("alert", String.valueOf(id), "acknowledged");
    }

    /** Sets the optimizer's mode: {@code off}, {@code advise} or {@code apply}. */
    public Result mode(String word, String who) {
        final Mode m = Mode.of(word);
        if (m == null) {
            return Result.error(400, "mode " + shown(word) + " not allowed; allowed: off, advise, apply");
        }
        final Optimizer o = optimizer.get();
        if (o == null) {
            return optimizerOff();
        }
        final String before = o.mode().word();
        // The optimizer's own run-time switch: read at its next window (off gives every tunable back).
        System.setProperty(OptimizerRuntime.RUNTIME_MODE_PROPERTY, m.word());
        audit(who, "mode", "optimizer", before, m.word());
        return done("mode", "optimizer", m.word());
    }

    /** Sets tunable {@code name} to {@code value}, within its bounds. */
    public Result setTunable(String name, long value, String who) {
        final Optimizer o = optimizer.get();
        if (o == null) {
            return optimizerOff();
        }
        final String before = currentValue(o, name);
        final String problem = o.set(name, value, who);
        if (problem != null) {
            return Result.error(
                    problem.startsWith("no tunable") ? 404 : problem.contains("bounds") ? 400 : 409,
                    problem.startsWith("no tunable")
                            ? problem + "; the tunables are listed in /api/tunables"
                            : problem);
        }
        audit(who, "tunable", name, before, String.valueOf(value));
        return done("tunable", name, String.valueOf(value));
    }

    /** Gives tunable {@code name} back to the application's value. */
    public Result resetTunable(String name, String who) {
        final Optimizer o = optimizer.get();
        if (o == null) {
            return optimizerOff();
        }
        final String before = currentValue(o, name);
        final String problem = o.reset(name, who);
        if (problem != null) {
            return Result.error(404, problem + "; the tunables are listed in /api/tunables");
        }
        final String after = currentValue(o, name);
        audit(who, "tunable-reset", name, before, after);
        return done("tunable", name, after);
    }

    private static String currentValue(Optimizer o, String name) {
        for (var row : o.report().tunables()) {
            if (row.name().equals(name)) {
                return row.current().isPresent() ? String.valueOf(row.current().getAsLong()) : "";
            }
        }
        return "";
    }

    /**
     * Turns the recording of probe {@code name} on or off: off, every recording entry point of the probe returns at
     * its first read (the one read it already makes for the global switch and for a failed probe), so its counts stop
     * in the dump file, the summary, the OTLP export and every read here, where its state shows {@code off}. On again,
     * counting resumes from the totals it had. A probe disabled after an internal failure stays off: its recording code
     * threw once and is not trusted again in this run (409).
     */
    public Result probe(String name, boolean enabled, String who) {
        final io.hotpath.bootstrap.Probe p = probeNamed(name);
        if (p == null) {
            return Result.error(404, "no probe named " + shown(name) + "; the probes are listed in /api/probes");
        }
        final int before = p.state();
        if ((before & io.hotpath.bootstrap.Probe.FAILED) != 0) {
            return Result.error(
                    409,
                    "probe " + shown(name) + " stopped recording after an internal error (" + p.fault()
                            + "); it stays off for this run");
        }
        p.operatorOff(!enabled);
        final String after = io.hotpath.bootstrap.Probe.stateWord(p.state());
        audit(who, "probe", name, io.hotpath.bootstrap.Probe.stateWord(before), after);
        return done("probe", name, after);
    }

    private static io.hotpath.bootstrap.Probe probeNamed(String name) {
        final io.hotpath.bootstrap.Probe[] found = {null};
        io.hotpath.bootstrap.Probes.forEach(p -> {
            if (found[0] == null && p.name().equals(name)) {
                found[0] = p;
            }
        });
        return found[0];
    }

    /** Records which instrumentation modules were installed at start; the agent calls it once. */
    public static void modulesInstalled(java.util.Collection<String> names) {
        modulesInstalled = Set.copyOf(names);
    }

    /**
     * Turns instrumentation module {@code name} on or off: every probe of it (and every probe born while it is off)
     * stops recording, as {@link #probe} does one. The advice stays installed (removing it would retransform the
     * application's classes under load) and costs one read per call while off. A module not installed at start cannot
     * be installed now (409).
     */
    public Result module(String name, boolean enabled, String who) {
        final int m = io.hotpath.bootstrap.ProbeModules.of(name);
        if (m < 0) {
            return Result.error(
                    404,
                    "no instrumentation module " + shown(name) + "; modules: queues, executors, sockets, netty, aeron");
        }
        if (!modulesInstalled.contains(name)) {
            return Result.error(
                    409,
                    "instrumentation module " + name + " was not installed at start (hotpath.instrument." + name
                            + "=false or its library absent); it cannot be installed at run time");
        }
        final boolean before = io.hotpath.bootstrap.ProbeModules.enabled(m);
        final int probes = io.hotpath.bootstrap.ProbeModules.enabled(m, enabled);
        audit(who, "module", name, before ? "on" : "off", (enabled ? "on" : "off") + " (" + probes + " probes)");
        return done("module", name, enabled ? "on" : "off");
    }

    /**
     * Changes a setting marked changeable at run time ({@link Settings#CHANGEABLE_AT_RUN_TIME}): parses the value with
     * the setting's own parser (400 naming the value and what is allowed), applies it to the running parts through
     * {@link RunTimeSettings} (they read it at their next tick), logs and audits it. A setting read at start only
     * answers 409 saying why.
     */
    public Result setting(String key, String value, String who) {
        final Setting<?> s = Settings.find(key);
        if (s == null) {
            return Result.error(404, "no setting " + shown(key) + "; the settings are listed in docs/configuration.md");
        }
        if (!Settings.changeableAtRunTime(s)) {
            return Result.error(
                    409,
                    "setting " + key + " is read at start only (" + Settings.startOnlyReason(s)
                            + "); the settings changeable at run time are marked in docs/configuration.md");
        }
        if (s == Settings.OPTIMIZER_MODE) {
            final Result r = mode(value, who);
            return r.ok() ? done("setting", key, Mode.of(value).word()) : r;
        }
        final Object parsed;
        try {
            parsed = s.parser().apply(value);
        } catch (IllegalArgumentException e) {
            return Result.error(400, key + "=" + shown(value) + " not allowed; allowed: " + s.allowed());
        }
        if (s == Settings.ENABLED) {
            final boolean on = (Boolean) parsed;
            final boolean before = io.hotpath.bootstrap.RecordingSwitch.enabled();
            io.hotpath.bootstrap.RecordingSwitch.enabled(on);
            audit(who, "setting", key, String.valueOf(before), String.valueOf(on));
            return done("setting", key, String.valueOf(on));
        }
        if (s == Settings.LOG_LEVEL) {
            final AgentLog.Level before = AgentLog.threshold();
            AgentLog.threshold((AgentLog.Level) parsed);
            audit(who, "setting", key, before.name().toLowerCase(java.util.Locale.ROOT), value.trim());
            return done("setting", key, value.trim());
        }
        final RunTimeSettings rts = RunTimeSettings.current();
        if (rts == null || !rts.applies(s)) {
            return Result.error(
                    409,
                    "setting " + key + " has nothing to change in this run (the part that reads it is off:"
                            + " hotpath.analyzer.enabled, hotpath.alerts.enabled)");
        }
        final Object before;
        try {
            before = change(rts, s, parsed, who);
        } catch (IllegalArgumentException e) {
            return Result.error(400, key + "=" + shown(value) + " not allowed: " + e.getMessage());
        }
        final String after = value.trim();
        audit(who, "setting", key, text(before), after);
        return done("setting", key, after);
    }

    @SuppressWarnings("unchecked")
    private static <T> Object change(RunTimeSettings rts, Setting<T> s, Object parsed, String who) {
        return rts.change(s, (T) parsed, who);
    }

    private static String text(Object value) {
        if (value instanceof java.util.Optional<?> o) {
            return o.map(Operations::text).orElse("unset");
        }
        if (value instanceof java.time.Duration d) {
            return io.hotpath.agent.config.Parsers.format(d);
        }
        return value == null ? "unset" : String.valueOf(value).toLowerCase(java.util.Locale.ROOT);
    }

    // ---------------------------------------------------------------- debug tools (docs/operator.md)

    /** Whether queue contents may be shown ({@code hotpath.inspect.contents.enabled}), and each element's cut. */
    private static volatile boolean contentsEnabled;

    private static volatile int contentsMaxChars = 200;

    /** Sets what the queue-contents read may show; the agent calls it once at start. */
    public static void contents(boolean enabled, int maxChars) {
        contentsEnabled = enabled;
        contentsMaxChars = maxChars;
    }

    /**
     * Starts a trace of probe {@code name} (see {@link io.hotpath.agent.tools.Tracer}).
     *
     * @param durationText the trace's length as a duration ({@code 10s}), or null for {@code hotpath.trace.duration}
     * @param max the most events kept, or null for {@code hotpath.trace.max}
     */
    public Result trace(String name, String durationText, Long max, String who) {
        final io.hotpath.agent.tools.Tracer tracer = io.hotpath.agent.tools.Tracer.current();
        if (tracer == null) {
            return Result.error(503, "the tracer is not running yet; retry shortly");
        }
        final io.hotpath.bootstrap.Probe p = toolProbe(name);
        if (p == null) {
            return unknownProbe(name);
        }
        final java.time.Duration duration;
        if (durationText == null) {
            duration = tracer.defaultDuration();
        } else {
            try {
                duration = Settings.TRACE_DURATION.parser().apply(durationText);
            } catch (IllegalArgumentException e) {
                return Result.error(
                        400,
                        "duration=" + shown(durationText) + " not allowed; allowed: "
                                + Settings.TRACE_DURATION.allowed() + " (such as 30s)");
            }
        }
        if (max != null && (max < 1 || max > io.hotpath.bootstrap.Trace.MAX_ENTRIES)) {
            return Result.error(
                    400,
                    "max=" + max + " not allowed; allowed: a whole number from 1 to "
                            + io.hotpath.bootstrap.Trace.MAX_ENTRIES);
        }
        final io.hotpath.agent.tools.Tracer.Started started;
        try {
            started = tracer.start(p, duration, max == null ? tracer.defaultMax() : max.intValue());
        } catch (io.hotpath.agent.tools.Tracer.Busy e) {
            return Result.error(409, e.getMessage());
        } catch (java.io.IOException e) {
            return Result.error(409, "the trace file cannot be created (hotpath.trace.dir): " + e);
        }
        audit(who, "trace", name, "", started.file().toString());
        return done("trace", name, started.file().toString());
    }

    /** Ends the running trace early. */
    public Result traceStop(String who) {
        final io.hotpath.agent.tools.Tracer tracer = io.hotpath.agent.tools.Tracer.current();
        final String name = tracer == null ? null : tracer.stop();
        if (name == null) {
            return Result.error(409, "no trace is running; start one with POST /api/trace");
        }
        audit(who, "trace-stop", name, "running", "stopped");
        return done("trace-stop", name, "stopped");
    }

    /** {@code {"trace":{"probe","file"}}} for the running trace, {@code {"trace":null}} when none runs. */
    public Result traceStatus() {
        final io.hotpath.agent.tools.Tracer tracer = io.hotpath.agent.tools.Tracer.current();
        final String[] running = tracer == null ? null : tracer.runningTrace();
        final StringBuilder b = new StringBuilder(128);
        final JsonWriter w = new JsonWriter(b).beginObject().name("trace");
        if (running == null) {
            w.value((String) null);
        } else {
            w.beginObject()
                    .name("probe")
                    .value(running[0])
                    .name("file")
                    .value(running[1])
                    .endObject();
        }
        w.endObject();
        return Result.ok(b.append('\n').toString());
    }

    /** {@code {"inspect":{...}}}: probe {@code name}'s inspection ({@link io.hotpath.agent.tools.Inspector}). */
    public Result inspect(String name) {
        final io.hotpath.bootstrap.Probe p = toolProbe(name);
        if (p == null) {
            return unknownProbe(name);
        }
        final AnalysisView v = analysis();
        return Result.ok(io.hotpath.agent.tools.Inspector.inspect(
                p, v == null ? null : v.pipeline(), io.hotpath.agent.tools.Tracer.current()));
    }

    /**
     * {@code {"queue_contents":{...}}}: at most {@code max} elements of each queue of probe {@code name}; 403 unless
     * {@code hotpath.inspect.contents.enabled} is true.
     *
     * @param max 1 to {@link io.hotpath.agent.tools.Inspector#CONTENTS_MAX}, or null for
     *     {@link io.hotpath.agent.tools.Inspector#CONTENTS_DEFAULT}
     */
    public Result queueContents(String name, Long max) {
        if (!contentsEnabled) {
            return Result.error(
                    403,
                    "queue contents are not shown: hotpath.inspect.contents.enabled is false (elements may hold"
                            + " sensitive data; set it to true at start to allow this read)");
        }
        final io.hotpath.bootstrap.Probe p = toolProbe(name);
        if (p == null) {
            return unknownProbe(name);
        }
        if (max != null && (max < 1 || max > io.hotpath.agent.tools.Inspector.CONTENTS_MAX)) {
            return Result.error(
                    400,
                    "max=" + max + " not allowed; allowed: a whole number from 1 to "
                            + io.hotpath.agent.tools.Inspector.CONTENTS_MAX);
        }
        if (p.kind() != io.hotpath.bootstrap.PathKind.QUEUE && p.kind() != io.hotpath.bootstrap.PathKind.EXECUTOR) {
            return Result.error(
                    400,
                    "probe " + shown(name) + " is a " + p.kind().label()
                            + " probe; allowed: a queue or executor probe");
        }
        return Result.ok(io.hotpath.agent.tools.Inspector.contents(
                p, max == null ? io.hotpath.agent.tools.Inspector.CONTENTS_DEFAULT : max.intValue(), contentsMaxChars));
    }

    private static io.hotpath.bootstrap.Probe toolProbe(String name) {
        return name == null ? null : probeNamed(name);
    }

    private static Result unknownProbe(String name) {
        return Result.error(
                400,
                name == null
                        ? "probe missing; allowed: probe=NAME with a probe name as /api/probes lists it"
                        : "probe " + shown(name) + " not known; allowed: a probe name as /api/probes lists it");
    }

    /** The operator writes kept, oldest first. */
    public List<OperatorWrite> writes() {
        synchronized (writes) {
            return new ArrayList<>(writes);
        }
    }

    private void audit(String who, String what, String target, String from, String to) {
        final OperatorWrite w = new OperatorWrite(clock.getAsLong(), who, what, target, from, to);
        synchronized (writes) {
            if (writes.size() == WRITES_KEPT) {
                writes.removeFirst();
            }
            writes.addLast(w);
            writesTotal++;
        }
        AgentLog.info(oneLine(w.line()));
    }

    private static Result done(String what, String target, String value) {
        final StringBuilder b = new StringBuilder(64);
        new JsonWriter(b)
                .beginObject()
                .name("done")
                .value(what)
                .name("target")
                .value(target)
                .name("value")
                .value(value)
                .endObject();
        return Result.ok(b.append('\n').toString());
    }

    private static String shown(String text) {
        return io.hotpath.agent.config.ProblemText.value(text == null ? "null" : text);
    }

    private static String oneLine(String line) {
        return io.hotpath.agent.config.ProblemText.escape(line);
    }
}
