package io.tttv2.testing.validation;

import io.tttv2.testing.metrics.Comparison;
import org.osgi.annotation.versioning.ProviderType;

/**
 * When a module's output matches its reference: PCC ≥ {@code minPcc} and max abs error ≤
 * {@code atol · max(1, max |reference|)} (the fixtures' tolerance, relative to the output's scale).
 *
 * @param minPcc the least Pearson correlation accepted
 * @param atol   the allowed max abs error for outputs of magnitude ≤ 1, scaled up with larger outputs
 */
@ProviderType
public record Tolerance(double minPcc, double atol) {

    /** F32: PCC ≥ 0.99999, max abs error ≤ 1e-4 · max(1, max |reference|). */
    public static final Tolerance DEFAULT = new Tolerance(0.99999, 1e-4);

    public Tolerance {
        if (!(minPcc >= -1 && minPcc <= 1) || !(atol >= 0)) {
            throw new IllegalArgumentException("tolerance needs a PCC in [-1, 1] and atol >= 0, found " + minPcc
                    + ", " + atol);
        }
    }

    /** The max abs error allowed for {@code c}'s reference. */
    public double allowedMaxAbsError(Comparison c) {
        return atol * Math.max(1.0, c.maxAbsExpected());
    }

    public boolean passes(Comparison c) {
        return c.pcc() >= minPcc && c.maxAbsError() <= allowedMaxAbsError(c);
    }
}
