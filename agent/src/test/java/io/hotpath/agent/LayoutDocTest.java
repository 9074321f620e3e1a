package io.hotpath.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The layout a newcomer reads off the tree. README.md's package table names exactly the packages directly under
 * {@code io.hotpath.agent} and {@code io.hotpath.bootstrap} (and the two roots), so that a package added, moved or
 * renamed fails the build until the table that tells a newcomer where things are says so too; and every package of
 * every module's main sources says what it is for in a {@code package-info.java}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LayoutDocTest {
    private static final String[] MODULES = {"bootstrap", "agent", "exporter", "it-tests", "benchmarks"};

    private static final Pattern ROW = Pattern.compile("^\\| `(io\\.hotpath\\.(?:agent|bootstrap)(?:\\.[a-z]+)?)` \\|");

    @Test
    void readmeListsEveryTopPackageOfAgentAndBootstrap() throws IOException {
        final TreeSet<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("../README.md"), StandardCharsets.UTF_8)) {
            final Matcher m = ROW.matcher(line);
            if (m.find()) {
                documented.add(m.group(1));
            }
        }
        final TreeSet<String> tree = new TreeSet<>();
        tree.addAll(packages(Path.of("src/main/java"), "io.hotpath.agent"));
        tree.addAll(packages(Path.of("../bootstrap/src/main/java"), "io.hotpath.bootstrap"));
        assertThat(tree).as("packages found in the tree").contains("io.hotpath.agent.config", "io.hotpath.bootstrap");
        assertThat(documented).as("README.md package table vs the tree").isEqualTo(tree);
    }

    @Test
    void everyPackageOfEveryModuleHasAPackageInfo() throws IOException {
        final TreeSet<String> missing = new TreeSet<>();
        int packages = 0;
        for (String module : MODULES) {
            final Path sources = Path.of("..", module, "src", "main", "java");
            final TreeSet<Path> dirs = new TreeSet<>();
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> dirs.add(f.getParent()));
            }
            for (Path dir : dirs) {
                final String pkg = sources.relativize(dir).toString().replace(java.io.File.separatorChar, '.');
                if (pkg.startsWith("io.opentelemetry.")) {
                    // The exporter's one class in the SDK's own package, there only to reach a package-private
                    // constructor; a package-info of ours would be a second one for the SDK's package in the jar.
                    continue;
                }
                packages++;
                final Path info = dir.resolve("package-info.java");
                if (!Files.isRegularFile(info)
                        || !Files.readString(info, StandardCharsets.UTF_8).contains("/**")) {
                    missing.add(module + ": " + pkg);
                }
            }
        }
        assertThat(packages).as("packages found").isGreaterThan(30);
        assertThat(missing)
                .as("packages without a package-info.java whose javadoc says what the package is for")
                .isEmpty();
    }

    /** {@code root} and the packages directly below it that hold Java sources (at any depth). */
    private static TreeSet<String> packages(Path sources, String root) throws IOException {
        final Path dir = sources.resolve(root.replace('.', '/'));
        final TreeSet<String> out = new TreeSet<>();
        out.add(root);
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(child)) {
                    if (files.anyMatch(f -> f.toString().endsWith(".java"))) {
                        out.add(root + "." + child.getFileName());
                    }
                }
            }
        }
        return out;
    }
}
