package io.hotpath.reference;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * @param truthFile where to write the ground-truth JSON as well, or {@code null}
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

    /** The usage text printed by {@code --help}. */
    public static String usage() {
        return String.join(
                System.lineSeparator(),
                "usage: java -jar hotpath-reference-app.jar [options]",
                "",
                "A status broadcaster: producers -> ingress ArrayBlockingQueue -> batcher (drainTo/poll) ->",
                "dispatcher ThreadPoolExecutor -> one LinkedBlockingQueue + consumer thread per subscriber.",
                "At exit it prints 'GROUND-TRUTH {json}' with its own exact counts.",
                "",
                "  --scenario NAME              " + Scenario.cliNames() + " (default basic)",
                "  --rate N                     total msg/s over all producers, > 0 (default 5000;",
                "                               stress is unlimited unless --rate is given)",
                "  --duration D                 run length: 500ms, 5s, 2m, 1h (a bare number is milliseconds)",
                "                               (default 10s, sustained 60s)",
                "  --producers N                producer threads (default 2)",
                "  --subscribers N              subscriber channels (default 4)",
                "  --batch-size N               max messages per batch (default 64)",
                "  --flush-interval-ms N        max wait to fill a batch, >= 0 (default 10)",
                "  --dispatcher-threads N       dispatcher pool size (default 2)",
                "  --ingress-capacity N         ingress queue capacity (default 10000)",
                "  --dispatch-queue-capacity N  dispatcher pool work-queue capacity (default 64)",
                "  --subscriber-capacity N      per-subscriber queue capacity (default 1000)",
                "  --work-us N                  busy-spin work per message per subscriber, us (default 0)",
                "  --batch-cost-us N            fixed wait per fan-out task (per batch), parked, us (default 0)",
                "  --slow-subscriber K          make subscriber K (0-based) slow",
                "  --slow-us N                  extra delay per message in the slow subscriber, us (default 1000)",
                "  --block-producers            producers put() and wait instead of offer() and overflow",
                "  --drop-rejected              drop a batch the dispatcher rejects instead of retrying it",
                "  --truth-file PATH            also write the ground-truth JSON to PATH",
                "  --quiet                      no progress lines",
                "  --transport T                queue (default: in-process subscribers only), or add wire",
                "                               subscribers: tcp, uds (Netty ChannelGroup broadcast), aeron",
                "                               (Aeron IPC stage, embedded driver), all",
                "  --wire-clients N             Netty clients per socket transport (default 2)",
                "  --slow-wire-us N             delay per message in the first Netty client, us (default 0)",
                "  --slow-aeron-us N            delay per message in the Aeron subscriber, us (default 0)",
                "  --fault KIND                 inject a bottleneck at --fault-at: slow-subscriber,",
                "                               saturated-dispatcher, lock-contention, gc-pressure,",
                "                               socket-back-pressure (with --transport tcp|uds|all),",
                "                               aeron-back-pressure (with --transport aeron|all)",
                "  --fault-at D                 when the fault starts, after the producers start (default 3s)",
                "  --help                       this text",
                "",
                "Exit codes: 0 ok, 1 an invariant failed or shutdown timed out, 2 bad argument.");
    }

    /**
     * Parses {@code args}. Options take their value as the next argument or after {@code =}
     * ({@code --rate 100}, {@code --rate=100}).
     *
     * @throws ArgumentException for an unknown option, a missing or malformed value, or a value out of range
     */
    public static BroadcasterConfig parse(String... args) {
        Scenario scenario = Scenario.BASIC;
        Double rate = null;
        Duration duration = null;
        int producers = 2;
        int subscribers = 4;
        int batchSize = 64;
        long flushIntervalMs = 10;
        int dispatcherThreads = 2;
        int ingressCapacity = 10_000;
        int dispatchQueueCapacity = 64;
        int subscriberCapacity = 1000;
        long workMicros = 0;
        long batchCostMicros = 0;
        int slowSubscriber = -1;
        Long slowMicros = null;
        boolean blockProducers = false;
        boolean dropRejected = false;
        String truthFile = null;
        boolean quiet = false;
        String transport = "queue";
        int wireClients = 2;
        long slowWireMicros = 0;
        long slowAeronMicros = 0;

        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            String inlineValue = null;
            final int equals = option.indexOf('=');
            if (option.startsWith("--") && equals > 0) {
                inlineValue = option.substring(equals + 1);
                option = option.substring(0, equals);
            }
            switch (option) {
                case "--block-producers", "--drop-rejected", "--quiet" -> {
                    if (inlineValue != null) {
                        throw new ArgumentException(option + " takes no value, got '" + args[i] + "'");
                    }
                    switch (option) {
                        case "--block-producers" -> blockProducers = true;
                        case "--drop-rejected" -> dropRejected = true;
                        default -> quiet = true;
                    }
                }
                case "--help", "-h" -> throw new HelpRequested();
                default -> {
                    final String value;
                    if (inlineValue != null) {
                        value = inlineValue;
                    } else if (i + 1 < args.length && isKnownValueOption(option)) {
                        value = args[++i];
                    } else if (isKnownValueOption(option)) {
                        throw new ArgumentException(option + " needs a value");
                    } else {
                        throw new ArgumentException(
                                "unknown option '" + args[i] + "' (run with --help for the options)");
                    }
                    switch (option) {
                        case "--scenario" -> scenario = scenario(value);
                        case "--rate" -> rate = positiveRate(value);
                        case "--duration" -> duration = duration(option, value);
                        case "--producers" -> producers = intIn(option, value, 1, 1024);
                        case "--subscribers" -> subscribers = intIn(option, value, 1, 1024);
                        case "--batch-size" -> batchSize = intIn(option, value, 1, MAX_COUNT);
                        case "--flush-interval-ms" -> flushIntervalMs = intIn(option, value, 0, 60_000);
                        case "--dispatcher-threads" -> dispatcherThreads = intIn(option, value, 1, 1024);
                        case "--ingress-capacity" -> ingressCapacity = intIn(option, value, 1, MAX_COUNT * 10);
                        case "--dispatch-queue-capacity" -> dispatchQueueCapacity = intIn(option, value, 1, MAX_COUNT);
                        case "--subscriber-capacity" -> subscriberCapacity = intIn(option, value, 1, MAX_COUNT * 10);
                        case "--work-us" -> workMicros = intIn(option, value, 0, MAX_COUNT);
                        case "--batch-cost-us" -> batchCostMicros = intIn(option, value, 0, MAX_COUNT);
                        case "--slow-subscriber" -> slowSubscriber = intIn(option, value, 0, 1023);
                        case "--slow-us" -> slowMicros = (long) intIn(option, value, 0, 10 * MAX_COUNT);
                        case "--truth-file" -> truthFile = writableFile(option, value);
                        case "--transport" -> transport = transport(value);
                        case "--wire-clients" -> wireClients = intIn(option, value, 1, 64);
                        case "--slow-wire-us" -> slowWireMicros = intIn(option, value, 0, 10 * MAX_COUNT);
                        case "--slow-aeron-us" -> slowAeronMicros = intIn(option, value, 0, 10 * MAX_COUNT);
                        default -> throw new IllegalStateException("unhandled option " + option);
                    }
                }
            }
        }

        if (slowSubscriber >= subscribers) {
            throw new ArgumentException("--slow-subscriber " + slowSubscriber + " is out of range: allowed 0.."
                    + (subscribers - 1) + " for --subscribers " + subscribers);
        }
        if (slowMicros != null && slowSubscriber < 0) {
            throw new ArgumentException("--slow-us " + slowMicros + " needs --slow-subscriber K to say which one");
        }
        return new BroadcasterConfig(
                scenario,
                rate != null ? rate : scenario == Scenario.STRESS ? Double.POSITIVE_INFINITY : DEFAULT_RATE,
                duration != null ? duration : scenario.defaultDuration(),
                producers,
                subscribers,
                batchSize,
                flushIntervalMs,
                dispatcherThreads,
                ingressCapacity,
                dispatchQueueCapacity,
                subscriberCapacity,
                workMicros,
                batchCostMicros,
                slowSubscriber,
                slowSubscriber < 0 ? 0 : slowMicros != null ? slowMicros : DEFAULT_SLOW_MICROS,
                blockProducers,
                dropRejected,
                truthFile,
                quiet,
                transport,
                wireClients,
                slowWireMicros,
                slowAeronMicros);
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

    private static boolean isKnownValueOption(String option) {
        return switch (option) {
            case "--scenario",
                    "--rate",
                    "--duration",
                    "--producers",
                    "--subscribers",
                    "--batch-size",
                    "--flush-interval-ms",
                    "--dispatcher-threads",
                    "--ingress-capacity",
                    "--dispatch-queue-capacity",
                    "--subscriber-capacity",
                    "--work-us",
                    "--batch-cost-us",
                    "--slow-subscriber",
                    "--slow-us",
                    "--truth-file",
                    "--transport",
                    "--wire-clients",
                    "--slow-wire-us",
                    "--slow-aeron-us" -> true;
            default -> false;
        };
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
    static Duration duration(String option, String value) {
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
