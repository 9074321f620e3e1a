package io.hotpath.agent.cli;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The attach CLI: {@code java -jar hotpath-agent.jar PID [start [OPTIONS]|status|findings|dump FILE|set KEY=VALUE|stop]}.
 *
 * <p>{@code start} loads the agent into the running JVM through the Attach API ({@code agentmain}); OPTIONS are the
 * agent's usual options ({@code key=value,...}). Every other command loads the jar again with options {@code
 * command=NAME,arg=VALUE,reply=FILE}: the agent already there runs the command and writes its answer to FILE (see
 * {@code AgentCommands}), which this prints and deletes. Every error is one line on stderr and exit code 1 (2 for bad
 * usage).
 */
public final class AttachCli {
    static final String USAGE =
            "usage: java -jar hotpath-agent.jar PID [start [OPTIONS] | status | findings | dump FILE | set KEY=VALUE"
                    + " | trace PROBE [DURATION [MAX]] | trace-stop | inspect PROBE | contents PROBE [MAX] | stop]";

    private static final List<String> COMMANDS =
            List.of("start", "status", "findings", "dump", "set", "trace", "trace-stop", "inspect", "contents", "stop");

    /** The debug tools' commands and how many arguments each takes at least and at most. */
    private static final java.util.Map<String, int[]> TOOL_ARGS = java.util.Map.of(
            "trace", new int[] {1, 3},
            "trace-stop", new int[] {0, 0},
            "inspect", new int[] {1, 1},
            "contents", new int[] {1, 2});

    private AttachCli() {}

    /** Runs the CLI; returns the process exit code. */
    public static int run(String[] args, File agentJar, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        final String pid = args[0];
        if (!pid.matches("[0-9]{1,10}")) {
            err.println(
                    "hotpath: invalid pid '" + pid + "': expected the process id of a running JVM (see jps); " + USAGE);
            return 2;
        }
        final String command = args.length > 1 ? args[1] : "status";
        if (!COMMANDS.contains(command)) {
            err.println("hotpath: unknown command '" + command + "': expected one of " + String.join(", ", COMMANDS));
            return 2;
        }
        if (TOOL_ARGS.containsKey(command)) {
            return tool(pid, command, args, agentJar, out, err);
        }
        final boolean needsArg = command.equals("dump") || command.equals("set");
        final int allowed = command.equals("start") ? 3 : needsArg ? 3 : 2;
        if ((needsArg && args.length < 3) || args.length > allowed) {
            err.println("hotpath: " + command + (needsArg ? " takes one argument" : " takes no argument")
                    + (command.equals("dump") ? " (the file to write)" : command.equals("set") ? " (KEY=VALUE)" : "")
                    + "; " + USAGE);
            return 2;
        }
        if (command.equals("set") && args[2].indexOf('=') <= 0) {
            err.println("hotpath: invalid set argument '" + args[2] + "': expected KEY=VALUE, such as"
                    + " hotpath.enabled=false");
            return 2;
        }
        return attached(pid, command, err, vm -> {
            if (command.equals("start")) {
                return start(vm, pid, agentJar, args.length > 2 ? args[2] : "", out, err);
            }
            return printed(send(vm, agentJar, command, needsArg ? args[2] : null), out, err);
        });
    }

    /**
     * A debug tool's command ({@code trace}, {@code trace-stop}, {@code inspect}, {@code contents}): its arguments go
     * to the agent as one, separated by tabs, and are checked there by the same operations HTTP and JMX use.
     */
    private static int tool(
            String pid, String command, String[] args, File agentJar, PrintStream out, PrintStream err) {
        final int[] range = TOOL_ARGS.get(command);
        final int given = args.length - 2;
        if (given < range[0] || given > range[1]) {
            err.println("hotpath: " + command + " takes "
                    + (range[0] == range[1] ? "" + range[0] : range[0] + " to " + range[1]) + " argument(s), got "
                    + given + "; " + USAGE);
            return 2;
        }
        return attached(pid, command, err, vm -> {
            final String arg =
                    given == 0 ? null : String.join("\t", List.of(args).subList(2, args.length));
            return printed(send(vm, agentJar, command, arg), out, err);
        });
    }

    /** Prints the agent's reply (to {@code out}, or to {@code err} when it refused) and returns the exit code. */
    private static int printed(Reply r, PrintStream out, PrintStream err) {
        (r.ok() ? out : err).print(r.ok() ? r.text() : "hotpath: " + r.text());
        return r.ok() ? 0 : 1;
    }

    /** What a command does with the attached JVM: returns the exit code. */
    @FunctionalInterface
    private interface OnVm {
        int run(VirtualMachine vm) throws Exception;
    }

    /**
     * Attaches to {@code pid}, runs {@code body} and detaches: exit code 1 with one line on {@code err} when there is
     * no such process, it cannot be attached to, or the command fails.
     */
    private static int attached(String pid, String command, PrintStream err, OnVm body) {
        if (ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
            err.println("hotpath: no process with pid " + pid);
            return 1;
        }
        final VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            err.println("hotpath: cannot attach to pid " + pid + " (not a JVM, another user's, or started with"
                    + " -XX:+DisableAttachMechanism): " + oneLine(e));
            return 1;
        }
        try {
            return body.run(vm);
        } catch (Exception e) {
            err.println("hotpath: " + command + " on pid " + pid + " failed: " + oneLine(e));
            return 1;
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // The command's outcome is already known.
            }
        }
    }

    private static int start(VirtualMachine vm, String pid, File jar, String options, PrintStream out, PrintStream err)
            throws Exception {
        if (options.startsWith("command=")) {
            err.println("hotpath: invalid start options '" + options + "': command= is reserved for the CLI");
            return 2;
        }
        final Reply before = send(vm, jar, "ping", null);
        if (before.ok()) {
            err.println("hotpath: "
                    + (before.text().trim().equals("stopped")
                            ? "hotpath was stopped in pid " + pid + "; it does not start again in the same JVM"
                            : "hotpath is already running in pid " + pid));
            return 1;
        }
        vm.loadAgent(jar.getAbsolutePath(), options);
        final Reply after = send(vm, jar, "ping", null);
        if (!after.ok() || !after.text().trim().equals("running")) {
            err.println("hotpath: the agent did not start in pid " + pid + " (see that JVM's log): "
                    + after.text().trim());
            return 1;
        }
        out.println("hotpath started in pid " + pid);
        return 0;
    }

    /** One command to the agent in the target JVM, and its reply. */
    private static Reply send(VirtualMachine vm, File jar, String command, String arg) throws Exception {
        final Path reply = Files.createTempFile("hotpath-reply-", ".txt");
        try {
            final String options = "command=" + command
                    + (arg == null ? "" : ",arg=" + URLEncoder.encode(arg, StandardCharsets.UTF_8)) + ",reply="
                    + URLEncoder.encode(reply.toAbsolutePath().toString(), StandardCharsets.UTF_8);
            try {
                vm.loadAgent(jar.getAbsolutePath(), options);
            } catch (AgentLoadException e) {
                return new Reply(false, "the JVM refused the agent jar: " + oneLine(e) + "\n");
            }
            final String text = Files.readString(reply, StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return new Reply(false, "no answer from the agent (see the JVM's log)\n");
            }
            if (text.startsWith("OK")) {
                // "OK\n<text>" or "OK <text>": the text after the marker and its separator.
                return new Reply(true, text.substring(3));
            }
            return new Reply(false, text.startsWith("ERR ") ? text.substring(4) : text);
        } finally {
            Files.deleteIfExists(reply);
        }
    }

    private record Reply(boolean ok, String text) {}

    private static String oneLine(Throwable t) {
        final String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replace('\n', ' ');
    }
}
