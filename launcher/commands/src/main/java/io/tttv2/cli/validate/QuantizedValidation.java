package io.tttv2.cli.validate;

import io.tttv2.api.tensor.DType;
import io.tttv2.testing.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code validate --quantize TYPE}: the model with its linear weights quantised at load against the same model as
 * stored, on the reference's inputs — prefill logits at every position, the teacher-forced decode logits, and an
 * encoder's hidden states and pooler output — by PCC, for every model kind. Quantisation error is what is
 * measured, so the absolute error is reported but not limited.
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

    /**
     * The outputs of a quantised run against those of the same model as stored, both plain validations on the
     * same reference inputs (any model kind): the logits (prefill and teacher-forced decode) and, for encoders and
     * encoder–decoders, the encoder's last hidden state and the pooler output, by PCC.
     */
    static ValidationResult compare(ValidationResult q, ValidationResult f, DType type, double minPcc) {
        String suffix = " " + type.name().toLowerCase(java.util.Locale.ROOT) + " vs as stored";
        List<Check> checks = new ArrayList<>();
        for (String key : KEYS) {
            float[] actual = q.outputs().f32(key);
            float[] expected = f.outputs().f32(key);
            if (actual != null && expected != null && actual.length > 0) {
                checks.add(Check.of(key + suffix, Metrics.compare(actual, expected), minPcc, Double.POSITIVE_INFINITY));
            }
        }
        return new ValidationResult(checks, q.outputs());
    }

    /** The outputs compared, as the validations name them (decoder, encoder, encoder–decoder). */
    private static final String[] KEYS = {"encoder_last_hidden_state", "last_hidden_state", "pooler_output", "logits",
            "decode_logits"};
}
