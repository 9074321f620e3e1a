package io.hotpath.samples.knobs;

/** Another class of the same package reading a package-private field. */
public final class KnobReader {
    private KnobReader() {}

    public static int staticBatch() {
        return Knobs.staticBatch;
    }
}
