package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.NormReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/** A {@link Norm} checked against {@link NormReference}; {@code out} may be {@code x}, so x is copied first. */
final class ValidatingNorm extends ValidatingModule implements Norm {

    private final Norm implementation;
    private final LazyReference<NormReference> reference;

    ValidatingNorm(Norm implementation, NormSpec spec, Weights weights, ValidationRegistry registry) {
        super(ModuleKind.NORM, implementation, Values.dtypeOf(weights, "weight"), List.of(), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new NormReference(spec, weights));
    }

    NormReference reference() {
        return reference.get();
    }

    @Override
    public void prefill(Tensor x, Tensor out) {
        validateRows(ShapeBuckets.PREFILL, x, out, () -> implementation.prefill(x, out), () -> reference.get()::apply);
    }

    @Override
    public void decode(Tensor x, Tensor out) {
        validateRows(ShapeBuckets.DECODE, x, out, () -> implementation.decode(x, out), () -> reference.get()::apply);
    }
}
