package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.LatentAttentionReference;
import io.tttv2.testing.reference.RotaryReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/**
 * A latent {@link Attention} checked against {@link LatentAttentionReference}, which expands keys and values per
 * head from the cached latent as HF does (the implementation may absorb kv_b_proj instead): earlier positions
 * are read from the cache the implementation wrote, this step's are the reference's own. Its rotary reference is
 * built from the rotary's spec, independently of the rotary module the implementation calls.
 */
final class ValidatingLatentAttention extends ValidatingModule implements Attention {

    private final Attention implementation;
    private final LazyReference<LatentAttentionReference> reference;

    ValidatingLatentAttention(Attention implementation, LatentAttentionSpec spec, Weights weights, Rotary rotary,
                              AttentionBackend backend, int layer, ValidationRegistry registry) {
        super(ModuleKind.LATENT_ATTENTION, implementation, Values.dtypeOf(weights, "kv_a_proj_with_mqa.weight"),
                List.of(rotary, backend), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new LatentAttentionReference(spec, weights,
                new RotaryReference(rotarySpec(rotary)), layer));
    }

    private static RotarySpec rotarySpec(Rotary rotary) {
        if (rotary.spec() instanceof RotarySpec s) {
            return s;
        }
        throw new IllegalArgumentException("latent attention reference: the rotary's spec is " + rotary.spec()
                + ", expected a RotarySpec");
    }

    LatentAttentionReference reference() {
        return reference.get();
    }

    @Override
    public int layer() {
        return implementation.layer();
    }

    @Override
    public void prefill(Tensor x, PrefillStep step, Tensor out) {
        if (!validator.active()) {
            implementation.prefill(x, step, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [T, hidden]
        int tokens = x.dim(0);
        validator.validate(capturedAt, ShapeBuckets.PREFILL, tokens, x.shape(),
                () -> implementation.prefill(x, step, out), out::toFloatArray,
                () -> reference.get().prefill(input, tokens, step));
    }

    @Override
    public void decode(Tensor x, DecodeStep step, Tensor out) {
        if (!validator.active()) {
            implementation.decode(x, step, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [B, hidden]
        DecodeStep frozen = ValidatingAttention.frozen(step);
        validator.validate(capturedAt, ShapeBuckets.DECODE, x.dim(0), x.shape(),
                () -> implementation.decode(x, step, out), out::toFloatArray,
                () -> reference.get().decode(input, frozen));
    }
}
