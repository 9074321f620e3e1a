package io.hotpath.reference;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Everything the command line configures, validated. {@link #parse} turns {@code args} into a config or throws an
 * {@link ArgumentException} whose message names the bad value and what is allowed.
 *
 * @param scenario the load shape
 * @param rate total target publish rate over all producers in messages per second; {@link Double#POSITIVE_INFINITY}
 *     when the rate is not limited ({@link Scenario#STRESS} without {@code --rate})
 * @param duration how long the producers publish
 * @param producers number of producer threads
 * @param subscribers number of subscriber channels
 * @param batchSize initial maximum batch size of the batcher (a tunable: the batcher re-reads it every batch)
 * @param flushIntervalMs initial flush interval of the batcher in milliseconds (a tunable, re-read every batch)
 * @param dispatcherThreads core and maximum size of the dispatcher pool
 * @param ingressCapacity capacity of the ingress {@code ArrayBlockingQueue}
 * @param dispatchQueueCapacity capacity of the dispatcher pool's work queue ({@code ArrayBlockingQueue})
 * @param subscriberCapacity capacity of each subscriber's {@code LinkedBlockingQueue}
 * @param workMicros busy-spin work per message in every subscriber, in microseconds
 * @param batchCostMicros fixed wait per fan-out task (one per batch), in microseconds, spent parked: a per-batch flush
 *     or system call whose cost does not depend on the batch size, so small batches cap the throughput on any machine
 * @param slowSubscriber index of the slow subscriber, or -1 for none
 * @param slowMicros extra delay per message in the slow subscriber, in microseconds
 * @param blockProducers producers use {@code put()} (back-pressure) instead of {@code offer()} (overflow)
 * @param dropRejected a batch the dispatcher pool rejects is dropped instead of retried
 * @param truthFile where to write the ground-truth JSON instead of stdout, or {@code null}
 * @param quiet no progress lines
 * @param transport which wire subscribers to add beside the in-process ones: {@code queue} (none, the default),
 *     {@code tcp}, {@code uds} (a Netty server broadcasting with a {@code ChannelGroup} to {@code wireClients}
 *     clients), {@code aeron} (an Aeron IPC stage through an embedded media driver) or {@code all}
 * @param wireClients Netty clients per socket transport
 * @param slowWireMicros delay per message in the first Netty client (a slow reader), 0 for none
 * @param slowAeronMicros delay per message in the Aeron subscriber (back-pressures the publication), 0 for none
 */
public record BroadcasterConfig(
        Scenario scenario,
        double rate,
        Duration duration,
        int producers,
        int subscribers,
        int batchSize,
        long flushIntervalMs,
        int dispatcherThreads,
        int ingressCapacity,
        int dispatchQueueCapacity,
        int subscriberCapacity,
        long workMicros,
        long batchCostMicros,
        int slowSubscriber,
        long slowMicros,
        boolean blockProducers,
        boolean dropRejected,
        String truthFile,
        boolean quiet,
        String transport,
        int wireClients,
        long slowWireMicros,
        long slowAeronMicros) {

    /** Default of {@code --rate}. */
    public static final double DEFAULT_RATE = 5000;

    /** Default of {@code --slow-us} when only {@code --slow-subscriber} is given. */
    public static final long DEFAULT_SLOW_MICROS = 1000;

    /** Upper bound of every count and capacity flag: large enough for any test, small enough to catch typos. */
    private static final int MAX_COUNT = 1_000_000;

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    /** Whether producers pace themselves; false only for an unlimited stress run. */
    public boolean rateLimited() {
        return !Double.isInfinite(rate);
    }

    /** The usage text printed by {@code --help}, generated from the options below. */
    public static String usage() {
        return new CommandLine(new Options()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /**
     * The command line as picocli reads it. Values are taken as text and checked below, so that every error names the
     * bad value and what is allowed in the same words whichever option it is.
     */
    @Command(
            name = "java -jar hotpath-reference-app.jar",
            sortOptions = false,
            usageHelpWidth = 110,
            description = {
                "A status broadcaster: producers -> ingress ArrayBlockingQueue -> batcher (drainTo/poll) ->"
                        + " dispatcher ThreadPoolExecutor -> one LinkedBlockingQueue + consumer thread per subscriber."
                        + " At exit it prints 'GROUND-TRUTH {json}' with its own exact counts, or writes that JSON"
                        + " to --truth-file instead.",
                ""
            },
            footer = {"", "Exit codes: 0 ok, 1 an invariant failed or shutdown timed out, 2 bad argument."})
    static final class Options {
        @Option(
                names = "--scenario",
                paramLabel = "NAME",
                description = "basic, burst, stress, ramp-up, sustained, soak (default basic)")
        String scenario;

        @Option(
                names = "--rate",
                paramLabel = "N",
                description =
                        "total msg/s over all producers, > 0 (default 5000; stress is unlimited unless --rate is given)")
        String rate;

        @Option(
                names = "--duration",
                paramLabel = "D",
                description =
                        "run length: 500ms, 5s, 2m, 1h; a bare number is milliseconds (default 10s, sustained and soak 60s)")
        String duration;

        @Option(names = "--producers", paramLabel = "N", description = "producer threads (default 2)")
        String producers;

        @Option(names = "--subscribers", paramLabel = "N", description = "subscriber channels (default 4)")
        String subscribers;

        @Option(names = "--batch-size", paramLabel = "N", description = "max messages per batch (default 64)")
        String batchSize;

        @Option(
                names = "--flush-interval-ms",
                paramLabel = "N",
                description = "max wait to fill a batch, >= 0 (default 10)")
        String flushIntervalMs;

        @Option(names = "--dispatcher-threads", paramLabel = "N", description = "dispatcher pool size (default 2)")
        String dispatcherThreads;

        @Option(names = "--ingress-capacity", paramLabel = "N", description = "ingress queue capacity (default 10000)")
        String ingressCapacity;

        @Option(
                names = "--dispatch-queue-capacity",
                paramLabel = "N",
                description = "dispatcher pool work-queue capacity (default 64)")
        String dispatchQueueCapacity;

        @Option(
                names = "--subscriber-capacity",
                paramLabel = "N",
                description = "per-subscriber queue capacity (default 1000)")
        String subscriberCapacity;

        @Option(
                names = "--work-us",
                paramLabel = "N",
                description = "busy-spin work per message per subscriber, us (default 0)")
        String workMicros;

        @Option(
                names = "--batch-cost-us",
                paramLabel = "N",
                description = "fixed wait per fan-out task (per batch), parked, us (default 0)")
        String batchCostMicros;

        @Option(names = "--slow-subscriber", paramLabel = "K", description = "make subscriber K (0-based) slow")
        String slowSubscriber;

        @Option(
                names = "--slow-us",
                paramLabel = "N",
                description = "extra delay per message in the slow subscriber, us (default 1000)")
        String slowMicros;

        @Option(
                names = "--block-producers",
                arity = "0",
                description = "producers put() and wait instead of offer() and overflow")
        boolean blockProducers;

        @Option(
                names = "--drop-rejected",
                arity = "0",
                description = "drop a batch the dispatcher rejects instead of retrying it")
        boolean dropRejected;

        @Option(
                names = "--truth-file",
                paramLabel = "PATH",
                description = "write the ground-truth JSON to PATH instead of printing it")
        String truthFile;

        @Option(names = "--quiet", arity = "0", description = "no progress lines")
        boolean quiet;

        @Option(
                names = "--transport",
                paramLabel = "T",
                description = "queue (default: in-process subscribers only), or add wire subscribers: tcp, uds (Netty"
                        + " ChannelGroup broadcast), aeron (Aeron IPC stage, embedded driver), all")
        String transport;

        @Option(
                names = "--wire-clients",
                paramLabel = "N",
                description = "Netty clients per socket transport (default 2)")
        String wireClients;

        @Option(
                names = "--slow-wire-us",
                paramLabel = "N",
                description = "delay per message in the first Netty client, us (default 0)")
        String slowWireMicros;

        @Option(
                names = "--slow-aeron-us",
                paramLabel = "N",
                description = "delay per message in the Aeron subscriber, us (default 0)")
        String slowAeronMicros;

        // Checked by Faults.plan, which knows the kinds.
        @Option(
                names = "--fault",
                paramLabel = "KIND",
                description = "inject a bottleneck at --fault-at: slow-subscriber, saturated-dispatcher,"
                        + " lock-contention, gc-pressure, socket-back-pressure (with --transport tcp|uds|all),"
                        + " aeron-back-pressure (with --transport aeron|all)")
        String fault;

        @Option(
                names = "--fault-at",
                paramLabel = "D",
                description = "when the fault starts, after the producers start (default 3s)")
        String faultAt;

        @Option(
                names = {"--help", "-h"},
                usageHelp = true,
                description = "this text")
        boolean help;
    }

    /**
     * Parses {@code args}. Options take their value as the next argument or after {@code =}
     * ({@code --rate 100}, {@code --rate=100}).
     *
     * @throws ArgumentException for an unknown option, a missing or malformed value, or a value out of range
     */
    public static BroadcasterConfig parse(String... args) {
        return of(options(args));
    }

    /**
     * Reads {@code args} into their options, the fault options included, checking only their syntax.
     *
     * @throws ArgumentException for an unknown option or a missing value
     * @throws HelpRequested for {@code --help}
     */
    static Options options(String... args) {
        final Options o = new Options();
        final CommandLine commandLine = new CommandLine(o);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.UnmatchedArgumentException e) {
            throw new ArgumentException(
                    "unknown option '" + e.getUnmatched().get(0) + "' (run with --help for the options)");
        } catch (CommandLine.MissingParameterException e) {
            throw new ArgumentException(name(e.getMissing().get(0)) + " needs a value");
        } catch (CommandLine.ParameterException e) {
            if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option
                    && option.arity().max() == 0) {
                throw new ArgumentException(option.longestName() + " takes no value: " + e.getMessage());
            }
            throw new ArgumentException(e.getMessage());
        }
        if (commandLine.isUsageHelpRequested()) {
            throw new HelpRequested();
        }
        return o;
    }

    /**
     * The configuration the options give, each value checked.
     *
     * @throws ArgumentException for a malformed value or a value out of range
     */
    static BroadcasterConfig of(Options o) {
        final Scenario scenario = o.scenario == null ? Scenario.BASIC : scenario(o.scenario);
        final int subscribers = o.subscribers == null ? 4 : intIn("--subscribers", o.subscribers, 1, 1024);
        final int slowSubscriber =
                o.slowSubscriber == null ? -1 : intIn("--slow-subscriber", o.slowSubscriber, 0, 1023);
        final Long slowMicros =
                o.slowMicros == null ? null : (long) intIn("--slow-us", o.slowMicros, 0, 10 * MAX_COUNT);
        if (slowSubscriber >= subscribers) {
            throw new ArgumentException("--slow-subscriber " + slowSubscriber + " is out of range: allowed 0.."
                    + (subscribers - 1) + " for --subscribers " + subscribers);
        }
        if (slowMicros != null && slowSubscriber < 0) {
            throw new ArgumentException("--slow-us " + slowMicros + " needs --slow-subscriber K to say which one");
        }
        return new BroadcasterConfig(
                scenario,
                o.rate != null
                        ? positiveRate(o.rate)
                        : scenario == Scenario.STRESS ? Double.POSITIVE_INFINITY : DEFAULT_RATE,
                o.duration != null ? duration("--duration", o.duration) : scenario.defaultDuration(),
                or(o.producers, "--producers", 1, 1024, 2),
                subscribers,
                or(o.batchSize, "--batch-size", 1, MAX_COUNT, 64),
                or(o.flushIntervalMs, "--flush-interval-ms", 0, 60_000, 10),
                or(o.dispatcherThreads, "--dispatcher-threads", 1, 1024, 2),
                or(o.ingressCapacity, "--ingress-capacity", 1, MAX_COUNT * 10, 10_000),
                or(o.dispatchQueueCapacity, "--dispatch-queue-capacity", 1, MAX_COUNT, 64),
                or(o.subscriberCapacity, "--subscriber-capacity", 1, MAX_COUNT * 10, 1000),
                or(o.workMicros, "--work-us", 0, MAX_COUNT, 0),
                or(o.batchCostMicros, "--batch-cost-us", 0, MAX_COUNT, 0),
                slowSubscriber,
                slowSubscriber < 0 ? 0 : slowMicros != null ? slowMicros : DEFAULT_SLOW_MICROS,
                o.blockProducers,
                o.dropRejected,
                o.truthFile == null ? null : writableFile("--truth-file", o.truthFile),
                o.quiet,
                o.transport == null ? "queue" : transport(o.transport),
                or(o.wireClients, "--wire-clients", 1, 64, 2),
                or(o.slowWireMicros, "--slow-wire-us", 0, 10 * MAX_COUNT, 0),
                or(o.slowAeronMicros, "--slow-aeron-us", 0, 10 * MAX_COUNT, 0));
    }

    private static int or(String value, String option, int min, int max, int defaultValue) {
        return value == null ? defaultValue : intIn(option, value, min, max);
    }

    private static String name(CommandLine.Model.ArgSpec spec) {
        return spec instanceof CommandLine.Model.OptionSpec option ? option.longestName() : spec.paramLabel();
    }

    /** Whether the wire subscriber of this kind ({@code tcp}, {@code uds}, {@code aeron}) is configured. */
    public boolean wire(String kind) {
        return transport.equals(kind) || transport.equals("all");
    }

    private static String transport(String value) {
        return switch (value) {
            case "queue", "tcp", "uds", "aeron", "all" -> value;
            default ->
                throw new ArgumentException(
                        "--transport '" + value + "' is not allowed: use queue, tcp, uds, aeron or all");
        };
    }

    /** Thrown by {@link #parse} for {@code --help}: not an error, the caller prints {@link #usage()}. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("help requested", null, false, false);
        }
    }

    private static Scenario scenario(String value) {
        try {
            return Scenario.fromCliName(value);
        } catch (IllegalArgumentException e) {
            throw new ArgumentException("--scenario '" + value + "' is not a scenario: allowed " + Scenario.cliNames());
        }
    }

    private static double positiveRate(String value) {
        final double rate;
        try {
            rate = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new ArgumentException("--rate '" + value + "' is not a number: allowed a number of msg/s > 0");
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new ArgumentException("--rate '" + value + "' is out of range: allowed a finite number of msg/s > 0");
        }
        return rate;
    }

    /**
     * Parses {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}; a bare number is milliseconds, the one rule hotpath's
     * settings and the {@code OTEL_*} variables follow too. Must be > 0.
     */
    public static Duration duration(String option, String value) {
        final Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new ArgumentException(
                    option + " '" + value
                            + "' is not a duration: allowed a whole number with unit ms, s, m or h (500ms, 5s, 1m), or bare milliseconds");
        }
        final long amount = Long.parseLong(matcher.group(1));
        final String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
        final Duration duration =
                switch (unit) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofMillis(amount);
                };
        if (duration.isZero()) {
            throw new ArgumentException(option + " '" + value + "' is out of range: allowed a duration > 0");
        }
        return duration;
    }

    private static int intIn(String option, String value, int min, int max) {
        final long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ArgumentException(option + " '" + value + "' is not a whole number: allowed " + min + ".." + max);
        }
        if (parsed < min || parsed > max) {
            throw new ArgumentException(option + " " + parsed + " is out of range: allowed " + min + ".." + max);
        }
        return (int) parsed;
    }

    /** Checked up front so that a typo fails at once, not after the whole run. */
    private static String writableFile(String option, String value) {
        if (value.isBlank()) {
            throw new ArgumentException(option + " '" + value + "' is empty: allowed a file path");
        }
        final Path parent;
        try {
            parent = Path.of(value).toAbsolutePath().getParent();
        } catch (InvalidPathException e) {
            throw new ArgumentException(option + " '" + value + "' is not a valid path: " + e.getReason());
        }
        if (parent == null || !Files.isDirectory(parent) || Files.isDirectory(Path.of(value))) {
            throw new ArgumentException(
                    option + " '" + value + "' cannot be written: allowed a file in an existing directory");
        }
        return value;
    }
}
