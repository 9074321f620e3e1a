package io.hotpath.reference;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Command-line entry point of the reference status broadcaster: parses the arguments, runs the scenario, prints
 * {@code GROUND-TRUTH {json}} (or writes the JSON to {@code --truth-file} instead), and warns about every broken
 * invariant.
 *
 * <p>Exit codes: {@value #EXIT_OK} consistent run, {@value #EXIT_INCONSISTENT} an invariant failed or the shutdown
 * timed out, {@value #EXIT_BAD_ARGUMENT} bad argument. The process always ends with {@link System#exit}, so a stage
 * that failed to stop (already reported) cannot keep the JVM alive.
 */
public final class StatusBroadcasterMain {
    /** The run completed and every invariant holds. */
    public static final int EXIT_OK = 0;

    /** An invariant was violated, or a shutdown stage timed out. */
    public static final int EXIT_INCONSISTENT = 1;

    /** A command-line argument was bad; one line on stderr says which and what is allowed. */
    public static final int EXIT_BAD_ARGUMENT = 2;

    private StatusBroadcasterMain() {}

    /** Runs the broadcaster; see {@link BroadcasterConfig#usage()}. */
    public static void main(String[] args) throws InterruptedException {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (RuntimeException | Error e) {
            // A stage that cannot start (a wire transport) must end the run, not leave its threads holding the JVM.
            e.printStackTrace();
            code = EXIT_INCONSISTENT;
        }
        System.exit(code);
    }

    /** Everything {@link #main} does except exiting; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        final BroadcasterConfig config;
        final Faults.Plan faults;
        try {
            final BroadcasterConfig.Options options = BroadcasterConfig.options(args);
            faults = Faults.plan(options.fault, options.faultAt);
            config = BroadcasterConfig.of(options);
            Faults.check(faults, config);
        } catch (BroadcasterConfig.HelpRequested help) {
            out.println(BroadcasterConfig.usage());
            return EXIT_OK;
        } catch (ArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_BAD_ARGUMENT;
        }

        Faults.arm(faults, out);
        final GroundTruth truth = new StatusBroadcaster(config, out).run();
        final String json = truth.toJson();
        int exitCode = EXIT_OK;
        if (config.truthFile() == null) {
            out.println(GroundTruth.LINE_PREFIX + json);
        } else {
            // One long JSON line is for programs; a person watching the run reads the file when they want it.
            try {
                Files.writeString(Path.of(config.truthFile()), json + System.lineSeparator(), StandardCharsets.UTF_8);
            } catch (IOException | InvalidPathException e) {
                err.println("error: cannot write --truth-file " + config.truthFile() + ": " + e);
                exitCode = EXIT_INCONSISTENT;
            }
        }
        for (String violation : truth.violations()) {
            out.println("WARNING " + violation);
            exitCode = EXIT_INCONSISTENT;
        }
        out.flush();
        return exitCode;
    }
}
