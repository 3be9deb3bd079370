package io.tttv2.testing.coverage;

/**
 * Shape buckets: the entry point and its row count (tokens of a prefill, sequences of a decode), rounded up
 * to a power of two so that similar calls share a bucket: {@code prefill 9-16}, {@code decode 1},
 * {@code decode 2}, {@code decode 3-4}.
 */
public final class ShapeBuckets {

    public static final String PREFILL = "prefill";
    public static final String DECODE = "decode";
    /** A mixed step's rows (prompt chunks and decode tokens of several sequences); optional, unlike the two above. */
    public static final String STEP = "step";

    private ShapeBuckets() {
    }

    public static String of(String entry, int rows) {
        if (rows <= 2) {
            return entry + " " + rows;
        }
        int upper = Integer.highestOneBit(rows - 1) << 1;      // the smallest power of two ≥ rows
        return entry + " " + (upper / 2 + 1) + "-" + upper;
    }

    /** The entry point of a bucket ({@link #PREFILL} or {@link #DECODE}). */
    public static String entry(String bucket) {
        int space = bucket.indexOf(' ');
        return space < 0 ? bucket : bucket.substring(0, space);
    }
}
