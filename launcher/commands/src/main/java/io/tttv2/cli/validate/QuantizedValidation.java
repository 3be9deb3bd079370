package io.tttv2.cli.validate;

import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.tensor.DType;
import io.tttv2.testing.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code validate --quantize TYPE}: the model with its linear weights quantised at load against the same model as
 * stored, on the reference's prompts — prefill logits at every position, and the teacher-forced decode logits —
 * by PCC. Quantisation error is what is measured, so the absolute error is reported but not limited.
 */
final class QuantizedValidation {

    private QuantizedValidation() {
    }

    /** The PCC each type must reach against the unquantised model's logits (issue 12's targets). */
    static double defaultMinPcc(DType type) {
        return switch (type) {
            case Q8_0 -> 0.999;
            case Q4_0 -> 0.99;
            default -> throw new IllegalArgumentException("no quantisation target for " + type);
        };
    }

    static ValidationResult run(ModelRunner quantized, ModelRunner unquantized, ReferenceFile ref, DType type, double minPcc) {
        // both runs as plain validations (their HF checks are not judged here): the same prompts, the same
        // teacher-forced decode tokens, so the logits compare position by position
        ValidationResult q = ModelValidation.run(quantized, ref, 0, Double.POSITIVE_INFINITY);
        ValidationResult f = ModelValidation.run(unquantized, ref, 0, Double.POSITIVE_INFINITY);
        String suffix = " " + type.name().toLowerCase(java.util.Locale.ROOT) + " vs as stored";
        List<Check> checks = new ArrayList<>();
        for (String key : new String[] {"logits", "decode_logits"}) {
            float[] actual = q.outputs().f32(key);
            float[] expected = f.outputs().f32(key);
            if (actual != null && expected != null && actual.length > 0) {
                checks.add(Check.of(key + suffix, Metrics.compare(actual, expected), minPcc, Double.POSITIVE_INFINITY));
            }
        }
        return new ValidationResult(checks, q.outputs());
    }
}
