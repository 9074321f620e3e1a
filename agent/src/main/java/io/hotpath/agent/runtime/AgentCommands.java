package io.hotpath.agent.runtime;

import io.hotpath.agent.log.AgentLog;
import io.hotpath.agent.operate.Operations;
import io.hotpath.agent.telemetry.AgentExport;
import io.hotpath.bootstrap.RecordingSwitch;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's side of the attach CLI ({@code java -jar hotpath-agent.jar PID COMMAND}). The CLI loads the agent jar
 * into the JVM again with options {@code command=NAME,arg=VALUE,reply=FILE} (values URL-encoded); the JVM runs {@code
 * agentmain} on its attach thread, which hands the options here. The answer goes to the reply file the CLI created:
 * a first line {@code OK} or {@code ERR}, then the text to print. Reads run on the background loop's thread, so the
 * snapshot taker and the analyzer stay that thread's alone.
 *
 * <p>{@code stop} detaches: recording off ({@link RecordingSwitch}), the background loop ends, export flushes once and
 * shuts down (Prometheus server included), the exit hook is removed. Instrumented classes keep their advice, which
 * now returns at its first read. A stopped agent does not start again in the same JVM: restarting threads and
 * re-reading configuration behind a running application is more risk than a JVM restart.
 */
public final class AgentCommands {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static volatile ColdLoop loop;
    private static volatile Thread exitHook;
    private static volatile Instant stoppedAt;

    private AgentCommands() {}

    static void started(ColdLoop coldLoop, Thread hook) {
        loop = coldLoop;
        exitHook = hook;
    }

    /** Whether the CLI stopped the agent in this JVM. */
    public static boolean stopped() {
        return stoppedAt != null;
    }

    /**
     * Runs one command from its agent options and writes the reply file; never throws (a failure is an {@code ERR}
     * reply, or one log line when even the reply cannot be written).
     */
    public static void run(String options) {
        final Map<String, String> o = parse(options);
        final String reply = o.get("reply");
        String answer;
        try {
            answer = answer(o.getOrDefault("command", ""), o.get("arg"));
        } catch (Exception | LinkageError e) {
            answer = "ERR " + o.get("command") + " failed in the agent: " + e;
        }
        if (reply == null) {
            AgentLog.warn("attach command without a reply file ignored: " + options);
            return;
        }
        try {
            Files.writeString(Path.of(reply), answer.endsWith("\n") ? answer : answer + "\n");
        } catch (Exception e) {
            AgentLog.warn("cannot write the attach command's reply to " + reply + ": " + e);
        }
    }

    private static String answer(String command, String arg) throws Exception {
        final ColdLoop l = loop;
        if (command.equals("ping")) {
            return "OK " + (stoppedAt != null ? "stopped" : l == null ? "starting" : "running");
        }
        if (stoppedAt != null) {
            return "ERR hotpath was stopped in this JVM at " + stoppedAt
                    + "; it does not start again in the same JVM (restart the JVM to measure again)";
        }
        if (l == null) {
            return "ERR hotpath is not running in this JVM (disabled by hotpath.enabled=false, or it failed to start:"
                    + " see the JVM's log)";
        }
        switch (command) {
            case "status":
                return "OK\n" + (RecordingSwitch.enabled() ? "" : "recording is off (hotpath.enabled=false)\n")
                        + l.onLoop(l::status, TIMEOUT);
            case "findings":
                return "OK\n" + l.onLoop(l::findings, TIMEOUT);
            case "dump":
                final Path file = Path.of(arg).toAbsolutePath();
                l.onLoop(
                        s -> {
                            try {
                                l.dumpTo(s, file);
                                return null;
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        },
                        TIMEOUT);
                return "OK wrote the dump to " + file;
            case "set":
                return set(arg);
            case "trace":
            case "trace-stop":
            case "inspect":
            case "contents":
                return tool(command, arg);
            case "stop":
                return stop(l);
            default:
                return "ERR unknown command '" + command + "'";
        }
    }

    /**
     * A run-time setting, through the same operations the HTTP endpoint and JMX use (settings catalogue: "changeable
     * at run time"); audited as written by "cli".
     */
    private static String set(String arg) {
        final int eq = arg == null ? -1 : arg.indexOf('=');
        if (eq <= 0) {
            return "ERR set needs KEY=VALUE, got '" + arg + "'";
        }
        final String key = arg.substring(0, eq).trim();
        final String value = arg.substring(eq + 1).trim();
        final Operations ops = Operations.current();
        if (ops == null) {
            return "ERR the agent's operations are not running yet; try again in a second";
        }
        final Operations.Result r = ops.setting(key, value, "cli");
        return r.ok() ? "OK " + key + "=" + value : "ERR " + r.line();
    }

    /**
     * A debug tool through the same operations HTTP and JMX use (audited as written by "cli"); {@code arg} holds the
     * command's arguments separated by tabs.
     */
    private static String tool(String command, String arg) {
        final Operations ops = Operations.current();
        if (ops == null) {
            return "ERR the agent's operations are not running yet; try again in a second";
        }
        final String[] a = arg == null ? new String[0] : arg.split("\t", -1);
        final Operations.Result r;
        switch (command) {
            case "trace-stop":
                r = ops.traceStop("cli");
                break;
            case "inspect":
                r = ops.inspect(a[0]);
                break;
            case "contents":
                final Long max = a.length > 1 ? whole("max", a[1]) : null;
                if (a.length > 1 && max == null) {
                    return "ERR max=" + a[1] + " not allowed; allowed: a whole number from 1 to "
                            + io.hotpath.agent.tools.Inspector.CONTENTS_MAX;
                }
                r = ops.queueContents(a[0], max);
                break;
            default:
                final Long events = a.length > 2 ? whole("max", a[2]) : null;
                if (a.length > 2 && events == null) {
                    return "ERR max=" + a[2] + " not allowed; allowed: a whole number from 1 to "
                            + io.hotpath.bootstrap.Trace.MAX_ENTRIES;
                }
                r = ops.trace(a[0], a.length > 1 ? a[1] : null, events, "cli");
                break;
        }
        return r.ok() ? "OK\n" + r.json() : "ERR " + r.line();
    }

    private static Long whole(String name, String text) {
        try {
            return text.length() > 9 ? null : Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String stop(ColdLoop l) throws InterruptedException {
        RecordingSwitch.enabled(false);
        stoppedAt = Instant.now();
        l.stop();
        final Thread t = l.thread();
        if (t != null) {
            t.join(TIMEOUT.toMillis());
        }
        l.closeAlerts(TIMEOUT);
        AgentExport.stop();
        io.hotpath.agent.http.HttpEndpoint.stopRunning();
        io.hotpath.agent.operate.AgentMBean.unregister();
        JitDirectives.cancel();
        final Thread hook = exitHook;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already exiting: the hook runs anyway.
            }
        }
        AgentLog.info("stopped by the attach CLI: recording off, the agent's threads ended; the application's"
                + " classes keep working (their advice returns at once)");
        return "OK hotpath stopped: recording off, background threads ended, export flushed and closed";
    }

    private static Map<String, String> parse(String options) {
        final Map<String, String> out = new LinkedHashMap<>();
        for (String part : options.split(",")) {
            final int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
