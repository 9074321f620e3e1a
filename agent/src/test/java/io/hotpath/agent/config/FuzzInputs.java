package io.hotpath.agent.config;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Inputs for the property-based configuration tests: random junk, and valid values with one mutation (sign, unit,
 * separator, case, whitespace, huge numbers, unicode, control characters), plus the checks every property shares.
 */
final class FuzzInputs {
    private FuzzInputs() {}

    /** Values that some setting, spec or variable accepts; each property mutates them. */
    static final List<String> VALID_SAMPLES = List.of(
            "true",
            "false",
            "off",
            "0",
            "1",
            "16",
            "4096",
            "100ms",
            "1s",
            "2m",
            "1h",
            "1.5s",
            "500us",
            "1%",
            "90%",
            "0.5",
            "3",
            "info",
            "debug",
            "warning",
            "critical",
            "otlp",
            "logging",
            "none",
            "advise",
            "apply",
            "log;otlp;webhook",
            "com.acme.*;org.example.Foo",
            "com.acme.Broadcaster.<init>:42=ingress",
            "com.acme.Broadcaster#publish:broadcast;com.acme.*Handler#handle*",
            "batch=com.acme.Broadcaster#batchSize:batch-size[1..512]",
            "background=1%;recording=1%;after=5s",
            "when queue_depth on com.acme.* then @batch-size up by x2 cooldown 5s priority 1",
            "http://collector:4318",
            "https://user:s3cr3t@collector:4317/v1/metrics",
            "grpc",
            "http/protobuf",
            "gzip",
            "10000",
            "api-key=s3cr3t,tenant=acme",
            "service.name=checkout,deployment.environment=prod");

    /** One mutation of a valid value, the kind of mistake a user (or a shell, or a template) makes. */
    static String mutate(String valid, int kind, int position, String insert) {
        final int at = valid.isEmpty() ? 0 : Math.floorMod(position, valid.length() + 1);
        return switch (kind) {
            case 0 -> "-" + valid; // sign
            case 1 -> valid.replaceAll("(ms|us|s|m|h|%)$", insert.isEmpty() ? "S" : insert); // unit
            case 2 -> valid.replace(';', ',').replace(',', '|'); // separator
            case 3 -> valid.replace(';', ' '); // separator as space
            case 4 -> valid.toUpperCase(java.util.Locale.ROOT); // case
            case 5 -> " \t" + valid + " \u00a0"; // whitespace, including a no-break space
            case 6 -> valid.replaceAll("\\d+", "99999999999999999999999"); // huge number
            case 7 -> valid.replaceAll("\\d+", "1e400"); // huge in scientific notation
            case 8 -> valid.replace('1', '\uff11').replace('0', '\uff10'); // full-width digits
            case 9 -> valid.replace("u", "\u00b5").replace(".", "\u200b."); // µ, zero-width space
            case 10 -> valid.substring(0, at) + insert + valid.substring(at); // insertion
            case 11 -> valid.substring(0, at); // truncation
            case 12 -> valid + "\n" + valid; // a line break (a value pasted twice)
            case 13 -> valid + ";" + valid; // a duplicate entry
            case 14 -> valid.replace("=", "==").replace("#", "##"); // doubled separators
            case 15 -> valid.replaceAll("\\d+", "-1");
            case 16 -> valid + "\u0000\u001b[31m"; // control characters, an ANSI escape
            case 17 -> valid.replace(".", "..");
            case 18 -> "'" + valid + "'"; // quoted as in a shell
            default -> valid.replace("*", "*".repeat(40)); // many stars
        };
    }

    /** Random text: any characters, or the characters that matter to the parsers, or nothing. */
    static Arbitrary<String> junk() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings()
                        .withChars("0123456789.-+_eE%;,|=:#*[]()<>@$ \t\n\rµsmhuntrfaloxSMH\u00a0\u200b\uff11")
                        .ofMaxLength(40),
                Arbitraries.of("", " ", "\n", "\u0000", "null", "NaN", "Infinity", "-0", "0x10", "1_000"));
    }

    /** A valid sample with one mutation. */
    static Arbitrary<String> nearValid(List<String> samples) {
        return Combinators.combine(
                        Arbitraries.of(samples),
                        Arbitraries.integers().between(0, 19),
                        Arbitraries.integers(),
                        Arbitraries.of("", "x", ";", ",", "|", "=", "#", ":", " ", "..", "*", "\u00e9", "\uD83D\uDE00"))
                .as(FuzzInputs::mutate);
    }

    /** Half junk, half near-valid, a few untouched valid values. */
    static Arbitrary<String> values(List<String> samples) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, junk()),
                net.jqwik.api.Tuple.of(5, nearValid(samples)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(samples)));
    }

    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
        final Thread t = new Thread(r, "fuzz-runner");
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code work} and fails when it takes longer than {@code limit}: a hang is a defect like an exception. */
    static <T> T within(Duration limit, Object input, Callable<T> work) throws Exception {
        final Future<T> f = RUNNER.submit(work);
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("no answer within " + limit + " for input " + show(input), e);
        } catch (java.util.concurrent.ExecutionException e) {
            final java.io.StringWriter trace = new java.io.StringWriter();
            e.getCause().printStackTrace(new java.io.PrintWriter(trace));
            throw new AssertionError("exception escaped for input " + show(input) + ": " + show(trace), e.getCause());
        }
    }

    /** An input with its invisible characters visible, for failure messages. */
    static String show(Object input) {
        final StringBuilder b = new StringBuilder();
        for (char c : String.valueOf(input).toCharArray()) {
            if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** One problem line: not blank, no line break, no terminal control character, of readable length. */
    static void assertOneLine(String line, Object input) {
        if (line == null || line.isBlank()) {
            throw new AssertionError("blank problem line for input " + show(input));
        }
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (ProblemText.control(c)) {
                throw new AssertionError("problem line holds control character \\u" + String.format("%04x", (int) c)
                        + " for input " + show(input) + ": " + show(line));
            }
        }
        if (line.length() > 2000) {
            throw new AssertionError(
                    "problem line of " + line.length() + " characters for input " + show(input) + ": " + line);
        }
    }
}
