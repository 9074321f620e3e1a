package io.hotpath.benchmarks.program;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The command line of the harness mains and of {@code BenchmarkMain}, on picocli: each main declares its options as a {@code @Command} class and
 * runs through {@link #main}, which gives every one the same behaviour: {@code --help} prints the usage, a bad option
 * or value is one line on standard error that names it and what is allowed (exit 2), and a child JVM that failed or
 * refused to measure is one line with the child's own words (exit 1).
 */
public final class Cli {
    private Cli() {}

    /** A harness body: runs with the parsed options. */
    @FunctionalInterface
    public interface Body<T> {
        void run(T options) throws Exception;
    }

    /**
     * Parses {@code args} into {@code options} and runs {@code body} with them; see the class comment for errors.
     * {@code name} starts every error line.
     */
    public static <T> void main(String name, T options, String[] args, Body<T> body) throws Exception {
        final CommandLine cl = new CommandLine(options);
        try {
            final CommandLine.ParseResult parsed = cl.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return;
            }
            body.run(options);
        } catch (CommandLine.ParameterException e) {
            System.err.println(name + ": " + e.getMessage() + "; allowed: " + allowed(cl));
            System.exit(2);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.exit(2);
        } catch (IllegalStateException e) {
            // A child that failed or refused to measure: its own words are in the message.
            System.err.println(name + ": " + e.getMessage());
            System.exit(1);
        }
    }

    private static String allowed(CommandLine cl) {
        return cl.getCommandSpec().options().stream()
                .map(o -> o.longestName() + (o.arity().max() > 0 ? " " + o.paramLabel() : ""))
                .collect(Collectors.joining(", "));
    }

    /** {@code --agent}: the hotpath agent jar the children run with; a mixin of the harnesses that compare with it. */
    static final class Agent {
        @Option(names = "--agent", required = true, converter = ExistingFile.class, description = "hotpath agent jar")
        Path jar;
    }

    /** {@code --java}: the java launcher of the children; a mixin of every harness. */
    static final class Java {
        @Option(names = "--java", description = "java of the children (default: the one running this)")
        String java = ChildJvm.currentJava();
    }

    /** A whole number ≥ 1. */
    public static final class Positive implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                final int n = Integer.parseInt(value);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("must be a whole number >= 1, got '" + value + "'");
        }
    }

    /** An existing regular file. */
    public static final class ExistingFile implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            final Path p = Path.of(value);
            if (!Files.isRegularFile(p)) {
                throw new CommandLine.TypeConversionException("must name an existing file, got '" + value + "'");
            }
            return p;
        }
    }

    /** The jar (or class directory) this class was loaded from: the children's class path. */
    static String ownJar() {
        try {
            return Path.of(Cli.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the benchmarks jar: " + e, e);
        }
    }
}
