package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.MlpReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/** An {@link Mlp} checked against {@link MlpReference}. */
final class ValidatingMlp extends ValidatingModule implements Mlp {

    private final Mlp implementation;
    private final LazyReference<MlpReference> reference;

    ValidatingMlp(Mlp implementation, MlpSpec spec, Weights weights, ValidationRegistry registry) {
        super(ModuleKind.MLP, implementation, Values.dtypeOf(weights, "up_proj.weight"), List.of(), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new MlpReference(spec, weights));
    }

    MlpReference reference() {
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
