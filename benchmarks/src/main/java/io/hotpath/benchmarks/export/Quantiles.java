package io.hotpath.benchmarks.export;

import java.util.Arrays;

/** The median and 90th percentile the export and scrape cost harnesses report over their samples. */
final class Quantiles {
    private Quantiles() {}

    static long median(long[] values) {
        return at(values, values.length / 2);
    }

    static long p90(long[] values) {
        return at(values, (int) (values.length * 0.9));
    }

    private static long at(long[] values, int index) {
        final long[] s = values.clone();
        Arrays.sort(s);
        return s[index];
    }
}
