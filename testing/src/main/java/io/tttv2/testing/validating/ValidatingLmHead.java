package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.LmHeadReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/** An {@link LmHead} checked against {@link LmHeadReference}. */
final class ValidatingLmHead extends ValidatingModule implements LmHead {

    private final LmHead implementation;
    private final LazyReference<LmHeadReference> reference;

    ValidatingLmHead(LmHead implementation, LmHeadSpec spec, Weights weights, ValidationRegistry registry) {
        super(ModuleKind.LM_HEAD, implementation, Values.dtypeOf(weights, "weight"), List.of(), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new LmHeadReference(spec, weights));
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
