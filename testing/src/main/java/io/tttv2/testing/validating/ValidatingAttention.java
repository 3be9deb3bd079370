package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.MixedStep;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.AttentionReference;
import io.tttv2.testing.reference.LatentAttentionReference;
import io.tttv2.testing.reference.RotaryReference;
import io.tttv2.testing.reference.SelfAttentionReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * An {@link Attention} checked against its float64 reference: {@link AttentionReference} for standard attention,
 * {@link LatentAttentionReference} for multi-head latent attention (which expands keys and values per head from
 * the cached latent as HF does, while the implementation may absorb kv_b_proj). The reference reads earlier
 * positions from the paged cache the implementation wrote and computes this step's own. Its rotary reference is
 * built from the rotary's spec, independently of the rotary module the implementation calls; without a rotary
 * (GPT-2) neither side rotates.
 */
final class ValidatingAttention extends ValidatingModule implements Attention {

    private final Attention implementation;
    private final LazyReference<SelfAttentionReference> reference;

    private ValidatingAttention(ModuleKind kind, Attention implementation, DType dtype, List<? extends Module> uses,
                                Supplier<SelfAttentionReference> reference, ValidationRegistry registry) {
        super(kind, implementation, dtype, uses, registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(reference);
    }

    /** Standard attention; rotary: null for attention without rotary positions. */
    static ValidatingAttention standard(Attention implementation, AttentionSpec spec, Weights weights, Rotary rotary,
                                        AttentionBackend backend, int layer, ValidationRegistry registry) {
        return new ValidatingAttention(ModuleKind.ATTENTION, implementation, Values.dtypeOf(weights, "q_proj.weight"),
                rotary == null ? List.of(backend) : List.of(rotary, backend),
                () -> new AttentionReference(spec, weights, rotary == null ? null : new RotaryReference(rotarySpec(rotary)),
                        layer), registry);
    }

    /** Multi-head latent attention (always rotary: its decoupled rope dimensions). */
    static ValidatingAttention latent(Attention implementation, LatentAttentionSpec spec, Weights weights, Rotary rotary,
                                      AttentionBackend backend, int layer, ValidationRegistry registry) {
        return new ValidatingAttention(ModuleKind.LATENT_ATTENTION, implementation,
                Values.dtypeOf(weights, "kv_a_proj_with_mqa.weight"), List.of(rotary, backend),
                () -> new LatentAttentionReference(spec, weights, new RotaryReference(rotarySpec(rotary)), layer), registry);
    }

    private static RotarySpec rotarySpec(Rotary rotary) {
        if (rotary.spec() instanceof RotarySpec s) {
            return s;
        }
        throw new IllegalArgumentException("attention reference: the rotary's spec is " + rotary.spec()
                + ", expected a RotarySpec");
    }

    SelfAttentionReference reference() {
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
        DecodeStep frozen = frozen(step);
        validator.validate(capturedAt, ShapeBuckets.DECODE, x.dim(0), x.shape(),
                () -> implementation.decode(x, step, out), out::toFloatArray,
                () -> reference.get().decode(input, frozen));
    }

    @Override
    public void step(Tensor x, MixedStep step, Tensor out) {
        if (!validator.active()) {
            implementation.step(x, step, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [rows, hidden]
        MixedStep frozen = frozen(step);
        validator.validate(capturedAt, ShapeBuckets.STEP, x.dim(0), x.shape(),
                () -> implementation.step(x, step, out), out::toFloatArray,
                () -> reference.get().step(input, frozen));
    }

    /** The mixed step with copies of its arrays. */
    static MixedStep frozen(MixedStep step) {
        return new MixedStep(step.cache(), step.tables().clone(), step.positions().clone());
    }

    /** The step with copies of its arrays, which a runner reuses between steps. */
    static DecodeStep frozen(DecodeStep step) {
        return new DecodeStep(step.cache(), step.tables().clone(), step.positions().clone());
    }
}
