package io.tttv2.core.cpu.kernel;

/**
 * The error function in double precision, for the exact GELU. Short polynomial fits (Abramowitz–Stegun
 * 7.1.26, error 1.5e-7) are not precise enough; this sums the Maclaurin series where it converges without
 * much cancellation and evaluates erfc's continued fraction beyond, both to far below 1e-7 absolute error.
 */
public final class Erf {

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;   // 2/√π
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;   // 1/√π
    /** Below this |x| the series converges in ≤ 40 terms with at most one decimal digit of cancellation. */
    private static final double SERIES_LIMIT = 2.0;
    /** erfc(6) ≈ 2e-17: beyond, erf is ±1 in double. */
    private static final double SATURATION = 6.0;
    /** Terms of erfc's continued fraction; at |x| = 2 the remainder is below 1e-12 relative. */
    private static final int FRACTION_TERMS = 60;

    private Erf() {
    }

    public static double erf(double x) {
        double a = Math.abs(x);
        if (a < SERIES_LIMIT) {
            return series(x);
        }
        if (Double.isNaN(x)) {
            return x;
        }
        double r = a >= SATURATION ? 1.0 : 1.0 - erfcContinuedFraction(a);
        return x < 0 ? -r : r;
    }

    /** erf(x) = 2/√π · Σ (-1)^n x^(2n+1) / (n! (2n+1)). */
    private static double series(double x) {
        double x2 = x * x;
        double term = x;          // (-1)^n x^(2n+1) / n!
        double sum = x;
        for (int n = 1; n < 60; n++) {
            term *= -x2 / n;
            double contribution = term / (2 * n + 1);
            sum += contribution;
            if (Math.abs(contribution) <= 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /**
     * erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))) for x > 0, evaluated
     * from the tail up.
     */
    private static double erfcContinuedFraction(double x) {
        double f = x;
        for (int k = FRACTION_TERMS; k >= 1; k--) {
            f = x + (k * 0.5) / f;
        }
        return Math.exp(-x * x) * ONE_OVER_SQRT_PI / f;
    }
}
