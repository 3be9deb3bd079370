package io.tttv2.testing.metrics;

/**
 * Comparison metrics over float arrays (flattened tensors), computed in double precision.
 *
 * <p>PCC follows the seed's {@code comp_pcc}: both all-NaN → 1; exactly one all-NaN → 0; otherwise NaN
 * and ±Inf are masked out (a position where either side is non-finite is skipped, and a NaN/Inf that
 * appears on one side only makes the result 0 when the two disagree on which positions are finite);
 * one side all zero and the other not → 0; both all zero → 1; equal arrays → 1; a constant side (zero
 * variance) → 1 if the arrays are equal, else 0.
 */
public final class Metrics {

    private Metrics() {
    }

    /** Pearson correlation of actual and expected with the edge cases above. */
    public static double pcc(float[] actual, float[] expected) {
        requireSameLength(actual, expected);
        boolean allNanA = allNaN(actual);
        boolean allNanE = allNaN(expected);
        if (allNanA && allNanE) {
            return 1.0;
        }
        if (allNanA || allNanE) {
            return 0.0;
        }
        // non-finite values must sit at the same places with the same values, else the tensors disagree
        for (int i = 0; i < actual.length; i++) {
            boolean fa = Float.isFinite(actual[i]);
            boolean fe = Float.isFinite(expected[i]);
            if (fa != fe || (!fa && !(Float.isNaN(actual[i]) && Float.isNaN(expected[i])) && actual[i] != expected[i])) {
                return 0.0;
            }
        }
        double sumA = 0, sumE = 0;
        long n = 0;
        boolean zeroA = true, zeroE = true, equal = true;
        for (int i = 0; i < actual.length; i++) {
            if (!Float.isFinite(actual[i])) {
                continue;
            }
            sumA += actual[i];
            sumE += expected[i];
            n++;
            zeroA &= actual[i] == 0f;
            zeroE &= expected[i] == 0f;
            equal &= actual[i] == expected[i];
        }
        if (n == 0 || equal) {
            return 1.0;
        }
        if (zeroA || zeroE) {
            return 0.0;
        }
        double meanA = sumA / n, meanE = sumE / n;
        double cov = 0, varA = 0, varE = 0;
        for (int i = 0; i < actual.length; i++) {
            if (!Float.isFinite(actual[i])) {
                continue;
            }
            double da = actual[i] - meanA, de = expected[i] - meanE;
            cov += da * de;
            varA += da * da;
            varE += de * de;
        }
        if (varA == 0 || varE == 0) {
            return 0.0; // a constant side that is not equal to the other
        }
        return Math.max(-1.0, Math.min(1.0, cov / Math.sqrt(varA * varE)));
    }

    /** Cosine similarity over finite pairs; both zero → 1, one zero → 0. */
    public static double cosine(float[] actual, float[] expected) {
        requireSameLength(actual, expected);
        double dot = 0, na = 0, ne = 0;
        for (int i = 0; i < actual.length; i++) {
            if (Float.isFinite(actual[i]) && Float.isFinite(expected[i])) {
                dot += (double) actual[i] * expected[i];
                na += (double) actual[i] * actual[i];
                ne += (double) expected[i] * expected[i];
            }
        }
        if (na == 0 && ne == 0) {
            return 1.0;
        }
        if (na == 0 || ne == 0) {
            return 0.0;
        }
        return dot / Math.sqrt(na * ne);
    }

    /** Every metric at once. */
    public static Comparison compare(float[] actual, float[] expected) {
        requireSameLength(actual, expected);
        double maxErr = 0, sumErr = 0, maxExpected = 0;
        long worst = -1, n = 0;
        for (int i = 0; i < actual.length; i++) {
            if (!Float.isFinite(actual[i]) || !Float.isFinite(expected[i])) {
                continue;
            }
            double err = Math.abs((double) actual[i] - expected[i]);
            sumErr += err;
            n++;
            if (err > maxErr || worst < 0) {
                maxErr = err;
                worst = i;
            }
            maxExpected = Math.max(maxExpected, Math.abs(expected[i]));
        }
        return new Comparison(pcc(actual, expected), maxErr, n == 0 ? 0 : sumErr / n, cosine(actual, expected),
                maxExpected, worst, worst < 0 ? Double.NaN : actual[(int) worst],
                worst < 0 ? Double.NaN : expected[(int) worst], n);
    }

    /** numpy/torch {@code allclose}: |a − e| ≤ atol + rtol·|e|, NaN equal to NaN. */
    public static AllClose allClose(float[] actual, float[] expected, double rtol, double atol) {
        requireSameLength(actual, expected);
        double maxDelta = Double.NEGATIVE_INFINITY, needAtol = 0, needRtol = 0;
        long violations = 0;
        for (int i = 0; i < actual.length; i++) {
            float a = actual[i], e = expected[i];
            if ((Float.isNaN(a) && Float.isNaN(e)) || (Float.isInfinite(a) && a == e)) {
                continue;
            }
            double err = Math.abs((double) a - e);
            if (Double.isNaN(err)) {
                err = Double.POSITIVE_INFINITY; // NaN against a number, or Inf against anything else
            }
            double allowed = atol + rtol * Math.abs(e);
            maxDelta = Math.max(maxDelta, err - allowed);
            needAtol = Math.max(needAtol, err - rtol * Math.abs(e));
            needRtol = Math.max(needRtol, e == 0 ? (err > atol ? Double.POSITIVE_INFINITY : 0) : (err - atol) / Math.abs(e));
            if (!(err <= allowed)) {
                violations++;
            }
        }
        if (maxDelta == Double.NEGATIVE_INFINITY) {
            maxDelta = 0;
        }
        return new AllClose(violations == 0, maxDelta, Math.max(0, needAtol), Math.max(0, needRtol), violations);
    }

    private static boolean allNaN(float[] values) {
        for (float v : values) {
            if (!Float.isNaN(v)) {
                return false;
            }
        }
        return true;
    }

    private static void requireSameLength(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException("cannot compare " + actual.length + " elements with " + expected.length);
        }
    }
}
