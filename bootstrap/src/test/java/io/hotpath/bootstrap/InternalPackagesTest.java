package io.hotpath.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every package of the bootstrap module is visible to the application (it is on the bootstrap class path), so every
 * one says in its package-info that it is internal. A new package without that sentence fails here.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InternalPackagesTest {
    static final String MARK = "internal: not an API, may change without notice";

    @Test
    void everyPackageSaysItIsInternal() throws IOException {
        final Path root = Path.of("src/main/java");
        final List<Path> packages = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(root)) {
            dirs.filter(Files::isDirectory)
                    .filter(InternalPackagesTest::holdsClasses)
                    .forEach(packages::add);
        }
        assertThat(packages).as("packages under %s", root.toAbsolutePath()).isNotEmpty();
        final List<String> unmarked = new ArrayList<>();
        for (Path dir : packages) {
            final Path info = dir.resolve("package-info.java");
            if (!Files.exists(info)
                    || !Files.readString(info, StandardCharsets.UTF_8).contains(MARK)) {
                unmarked.add(root.relativize(dir).toString());
            }
        }
        assertThat(unmarked)
                .as("bootstrap packages whose package-info does not say \"%s\"", MARK)
                .isEmpty();
    }

    private static boolean holdsClasses(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> {
                final String name = f.getFileName().toString();
                return name.endsWith(".java") && !name.equals("package-info.java");
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
