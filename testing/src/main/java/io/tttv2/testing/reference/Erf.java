package io.tttv2.testing.reference;

/**
 * The error function in double, by the series that has no cancellation:
 * {@code erf(x) = 2/√π · e^(−x²) · Σ_{n≥0} 2ⁿ x^(2n+1) / (1·3·5···(2n+1))} (all terms share x's sign).
 * Beyond |x| = 6, erf is ±1 to double precision (1 − erf(6) ≈ 2e-17).
 */
final class Erf {

    private Erf() {
    }

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Math.abs(x) >= 6) {
            return Math.signum(x);
        }
        double term = x;            // n = 0: x / 1
        double sum = term;
        for (int n = 1; n < 500; n++) {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }
}
