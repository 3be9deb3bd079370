package io.tttv2.core.modules.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.tensor.Tensor;

/**
 * The comparisons the fixtures' README states: Pearson correlation (PCC) and the largest absolute error
 * relative to max(1, max |reference|).
 */
public final class Compare {

    /** fp32 weights: PCC ≥ 0.99999. */
    public static final double PCC_F32 = 0.99999;
    /** bf16 weights computed in fp32: PCC ≥ 0.9999. */
    public static final double PCC_BF16 = 0.9999;
    /** Max abs error ≤ 1e-4 · max(1, max |reference|). */
    public static final double ABS_FACTOR = 1e-4;

    private Compare() {
    }

    public static double pcc(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        if (saa == 0 && sbb == 0) {
            return 1;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** Asserts actual matches expected within the fixture tolerances (PCC ≥ pccMin, max abs error). */
    public static void assertClose(String what, double[] expected, double[] actual, double pccMin) {
        assertEquals(expected.length, actual.length, what + ": element count");
        double maxRef = 0;
        double maxErr = 0;
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Double.isFinite(actual[i]), what + ": element " + i + " is " + actual[i]);
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            double err = Math.abs(expected[i] - actual[i]);
            if (err > maxErr) {
                maxErr = err;
                worst = i;
            }
        }
        double pcc = pcc(expected, actual);
        double bound = ABS_FACTOR * Math.max(1, maxRef);
        assertTrue(pcc >= pccMin, what + ": PCC " + pcc + " < " + pccMin);
        assertTrue(maxErr <= bound, what + ": max abs error " + maxErr + " at element " + worst + " (expected "
                + expected[worst] + ", found " + actual[worst] + ") exceeds " + bound);
    }

    public static void assertClose(String what, double[] expected, Tensor actual, double pccMin) {
        assertClose(what, expected, Reference.values(actual), pccMin);
    }

    public static void assertClose(String what, Tensor expected, Tensor actual, double pccMin) {
        assertClose(what, Reference.values(expected), Reference.values(actual), pccMin);
    }

    /** F32 tolerance. */
    public static void assertClose(String what, double[] expected, Tensor actual) {
        assertClose(what, expected, actual, PCC_F32);
    }
}
