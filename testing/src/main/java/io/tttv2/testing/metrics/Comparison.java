package io.tttv2.testing.metrics;

/**
 * How a computed tensor compares with its reference. Computed in double precision over the elements
 * where both are finite.
 *
 * @param pcc           Pearson correlation (see {@link Metrics#pcc})
 * @param maxAbsError   largest |actual − expected| over finite pairs
 * @param meanAbsError  mean |actual − expected| over finite pairs
 * @param cosine        cosine similarity
 * @param maxAbsExpected largest |expected| (for relative tolerances)
 * @param worstIndex    flat index of the largest absolute error, or -1 when nothing is comparable
 * @param worstActual   the actual value there
 * @param worstExpected the expected value there
 * @param elements      number of elements compared
 */
public record Comparison(double pcc, double maxAbsError, double meanAbsError, double cosine, double maxAbsExpected,
                         long worstIndex, double worstActual, double worstExpected, long elements) {

    /** The fixture tolerance: PCC ≥ minPcc and max abs error ≤ atol · max(1, max|expected|). */
    public boolean passes(double minPcc, double atol) {
        return pcc >= minPcc && maxAbsError <= atol * Math.max(1.0, maxAbsExpected);
    }
}
