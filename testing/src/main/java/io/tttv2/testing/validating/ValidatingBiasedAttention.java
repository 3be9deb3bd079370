package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.BiasedAttention;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.BiasedAttentionReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/** A {@link BiasedAttention} checked against {@link BiasedAttentionReference}; {@code out} may be {@code x}. */
final class ValidatingBiasedAttention extends ValidatingModule implements BiasedAttention {

    private final BiasedAttention implementation;
    private final LazyReference<BiasedAttentionReference> reference;

    ValidatingBiasedAttention(BiasedAttention implementation, AttentionSpec spec, Weights weights, int layer,
                              ValidationRegistry registry) {
        super(ModuleKind.BIASED_ATTENTION, implementation, Values.dtypeOf(weights, "q_proj.weight"), List.of(),
                registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new BiasedAttentionReference(spec, weights, layer));
    }

    @Override
    public int layer() {
        return implementation.layer();
    }

    @Override
    public void prefill(Tensor x, PrefillStep step, Tensor bias, Tensor out) {
        if (!validator.active()) {
            implementation.prefill(x, step, bias, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [T, hidden]
        double[] biasValues = Values.of(bias);          // [heads, T, start+T]
        int tokens = x.dim(0);
        validator.validate(capturedAt, ShapeBuckets.PREFILL, tokens, x.shape(),
                () -> implementation.prefill(x, step, bias, out), out::toFloatArray,
                () -> reference.get().prefill(input, tokens, step, biasValues));
    }

    @Override
    public void decode(Tensor x, DecodeStep step, Tensor[] biases, Tensor out) {
        if (!validator.active()) {
            implementation.decode(x, step, biases, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [B, hidden]
        double[][] biasValues = new double[biases.length][];
        for (int b = 0; b < biases.length; b++) {
            biasValues[b] = Values.of(biases[b]);       // [heads, 1, positions[b]+1]
        }
        DecodeStep frozen = ValidatingAttention.frozen(step);
        validator.validate(capturedAt, ShapeBuckets.DECODE, x.dim(0), x.shape(),
                () -> implementation.decode(x, step, biases, out), out::toFloatArray,
                () -> reference.get().decode(input, frozen, biasValues));
    }
}
