package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.EncoderAttention;
import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.PaddingMask;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.EncoderAttentionReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/** An {@link EncoderAttention} checked against {@link EncoderAttentionReference}; {@code out} may be {@code x}. */
final class ValidatingEncoderAttention extends ValidatingModule implements EncoderAttention {

    private final EncoderAttention implementation;
    private final LazyReference<EncoderAttentionReference> reference;

    ValidatingEncoderAttention(EncoderAttention implementation, EncoderAttentionSpec spec, Weights weights,
                               ValidationRegistry registry) {
        super(ModuleKind.ENCODER_ATTENTION, implementation, Values.dtypeOf(weights, "q_proj.weight"), List.of(), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new EncoderAttentionReference(spec, weights));
    }

    EncoderAttentionReference reference() {
        return reference.get();
    }

    @Override
    public void forward(Tensor x, PaddingMask mask, Tensor bias, Tensor out) {
        if (!validator.active()) {
            implementation.forward(x, mask, bias, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                                  // [B, T, hidden]
        double[] biasValues = bias == null ? null : Values.of(bias);    // [heads, T, T]
        boolean[] keep = mask.keep().clone();
        int batch = x.dim(0);
        int tokens = x.dim(1);
        validator.validate(capturedAt, ShapeBuckets.PREFILL, batch * tokens, x.shape(),
                () -> implementation.forward(x, mask, bias, out), out::toFloatArray,
                () -> reference.get().forward(input, batch, tokens, keep, biasValues));
    }
}
