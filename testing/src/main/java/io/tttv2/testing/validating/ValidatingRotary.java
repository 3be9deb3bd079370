package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.RotaryReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/**
 * A {@link Rotary} checked against {@link RotaryReference}, which recomputes the frequencies from the spec
 * (never from this module's tables). Attentions rotate in place, so x is copied first.
 */
final class ValidatingRotary extends ValidatingModule implements Rotary {

    private final Rotary implementation;
    private final LazyReference<RotaryReference> reference;

    ValidatingRotary(Rotary implementation, RotarySpec spec, ValidationRegistry registry) {
        super(ModuleKind.ROTARY, implementation, spec.frequencyDType(), List.of(), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new RotaryReference(spec));
    }

    @Override
    public Tensor cos() {
        return implementation.cos();
    }

    @Override
    public Tensor sin() {
        return implementation.sin();
    }

    @Override
    public void prefill(Tensor x, int start, Tensor out) {
        if (!validator.active()) {
            implementation.prefill(x, start, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [T, heads, headDim]
        int tokens = x.dim(0);
        int heads = x.dim(1);
        validator.validate(capturedAt, ShapeBuckets.PREFILL, tokens, x.shape(),
                () -> implementation.prefill(x, start, out), out::toFloatArray,
                () -> reference.get().prefill(input, tokens, heads, start));
    }

    @Override
    public void decode(Tensor x, int[] positions, Tensor out) {
        if (!validator.active()) {
            implementation.decode(x, positions, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [B, heads, headDim]
        int[] at = positions.clone();
        int heads = x.dim(1);
        validator.validate(capturedAt, ShapeBuckets.DECODE, x.dim(0), x.shape(),
                () -> implementation.decode(x, positions, out), out::toFloatArray,
                () -> reference.get().decode(input, heads, at));
    }
}
