package io.hotpath.samples.knobs;

/** Fields of every supported kind, read by the class itself, a nested class and another class of the package. */
public class Knobs {
    public static final int CONSTANT = 5;
    static int staticBatch = 10;
    static final long STATIC_FINAL = Long.parseLong("20");
    private int batch;
    private final int finalBatch;
    private boolean compress;
    private long flush = 7;
    private String label = "x";

    public Knobs(int batch, int finalBatch) {
        this.batch = batch;
        this.finalBatch = finalBatch;
    }

    public int batch() {
        return batch;
    }

    public int finalBatch() {
        return finalBatch;
    }

    public boolean compress() {
        return compress;
    }

    public long flush() {
        return flush;
    }

    public static int staticBatch() {
        return staticBatch;
    }

    public static long staticFinal() {
        return STATIC_FINAL;
    }

    public static int constant() {
        return CONSTANT;
    }

    public String label() {
        return label;
    }

    /** Reads through nest-mate access. */
    public int nestedRead() {
        return new Inner().read(this);
    }

    class Inner {
        int read(Knobs k) {
            return k.batch + 0;
        }
    }
}
