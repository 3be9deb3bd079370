package io.tttv2.cli.validate;

import io.tttv2.testing.metrics.Comparison;

/**
 * One line of the validation table.
 *
 * @param metric     what was compared, by the reference's key ({@code logits}, {@code hidden_states[2]}, …)
 * @param comparison the metrics, or null for token checks
 * @param minPcc     the PCC the check requires
 * @param maxAbs     the max abs error it allows
 * @param detail     for token checks: what matched; else empty
 * @param passed     the verdict
 */
public record Check(String metric, Comparison comparison, double minPcc, double maxAbs, String detail, boolean passed) {

    static Check of(String metric, Comparison c, double minPcc, double atol) {
        double allowed = atol * Math.max(1.0, c.maxAbsExpected());
        return new Check(metric, c, minPcc, allowed, "", c.passes(minPcc, atol));
    }

    static Check tokens(String metric, String detail, boolean passed) {
        return new Check(metric, null, 0, 0, detail, passed);
    }
}
