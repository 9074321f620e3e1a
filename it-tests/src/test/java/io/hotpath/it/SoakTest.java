package io.hotpath.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SoakTest {
    /** {@code jcmd PID VM.native_memory summary} as JDK 17 prints it (JDK 25 prints the same lines it is read by). */
    private static final String NMT = """
            Native Memory Tracking:

            (Omitting categories weighting less than 1KB)

            Total: reserved=7842511KB, committed=484727KB
                   malloc: 21013KB #29181
                   mmap:   reserved=7821498KB, committed=463714KB

            -                 Java Heap (reserved=6172672KB, committed=397312KB)
                                        (mmap: reserved=6172672KB, committed=397312KB)

            -                     Class (reserved=1048783KB, committed=1359KB)
                                        (classes #1684)
                                        (  instance classes #1539, array classes #145)

            -                    Thread (reserved=19506KB, committed=890KB)
                                        (thread #19)

            -                     Other (reserved=34KB, committed=34KB)
                                        (malloc=34KB #4)
            """;

    @Test
    void nativeMemorySummaryIsReadAsCommittedKibByCategory() {
        assertThat(Soak.nmt(NMT))
                .containsExactly(
                        Map.entry("Total", 484727L),
                        Map.entry("Java Heap", 397312L),
                        Map.entry("Class", 1359L),
                        Map.entry("Thread", 890L),
                        Map.entry("Other", 34L));
        assertThat(Soak.nmt("Native memory tracking is not enabled")).isEmpty();
    }

    @Test
    void slopesNameTheCategoriesThatMovedLargestFirstAndTheRssOutsideTracking() {
        final List<Soak.Sample> window = new ArrayList<>();
        for (int minute = 0; minute <= 10; minute++) {
            // Over 10 minutes: Other +2 MiB, Thread -1 MiB, Class flat; RSS +5 MiB, of which 4 outside tracking.
            final long other = 1024 + minute * 2048L / 10;
            final long thread = 4096 - minute * 1024L / 10;
            final Map<String, Long> nmt =
                    Map.of("Total", 10_000 + other + thread, "Class", 10_000L, "Thread", thread, "Other", other);
            window.add(new Soak.Sample(
                    minute * 60_000L,
                    1,
                    1,
                    100_000 + minute * 512L,
                    0,
                    20,
                    100,
                    new java.util.LinkedHashMap<>(nmt),
                    Map.of("profiled nmethods", 8_000L + minute * 1024L / 10),
                    2_000 + minute));
        }
        final String line = Soak.nmtSlopes(window);
        assertThat(line).contains("slope +1.000 MiB/10 min; RSS outside it").contains("slope +4.000 MiB/10 min;");
        assertThat(line).endsWith("by category (MiB/10 min) Other +2.000, Thread -1.000");
        assertThat(Soak.codeHeapSlopes(window))
                .isEqualTo("code heap in use: profiled nmethods 8000 -> 9024 KiB, slope +1.000 MiB/10 min;"
                        + " nmethods 2000 -> 2010");
    }

    /** {@code jcmd PID Compiler.codecache} as JDK 25 prints it (JDK 17 prints the same segment lines). */
    @Test
    void codeCacheIsReadAsKibInUseBySegment() {
        final String codecache = """
                CodeHeap 'non-profiled nmethods': size=120036Kb used=371Kb max_used=371Kb free=119664Kb
                 bounds [0x00007f9137ec7000, 0x00007f9138137000, 0x00007f913f400000]
                CodeHeap 'profiled nmethods': size=120036Kb used=1729Kb max_used=1729Kb free=118306Kb
                 bounds [0x00007f91303ff000, 0x00007f913066f000, 0x00007f9137938000]
                CodeHeap 'non-nmethods': size=5692Kb used=1486Kb max_used=1507Kb free=4205Kb
                 bounds [0x00007f9137938000, 0x00007f9137ba8000, 0x00007f9137ec7000]
                CodeCache: size=245764Kb, used=3586Kb, max_used=3607Kb, free=242175Kb
                 total_blobs=1785, nmethods=1328, adapters=361, full_count=0
                """;
        assertThat(Soak.codeHeap(codecache))
                .containsExactly(
                        Map.entry("non-profiled nmethods", 371L),
                        Map.entry("profiled nmethods", 1729L),
                        Map.entry("non-nmethods", 1486L));
        assertThat(Soak.codeHeap("Unknown diagnostic command")).isEmpty();
    }
}
