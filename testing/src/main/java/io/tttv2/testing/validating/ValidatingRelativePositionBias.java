package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.RelativePositionBias;
import io.tttv2.api.modules.RelativePositionBiasSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.RelativePositionBiasReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/** A {@link RelativePositionBias} checked against {@link RelativePositionBiasReference}. */
final class ValidatingRelativePositionBias extends ValidatingModule implements RelativePositionBias {

    private final RelativePositionBias implementation;
    private final LazyReference<RelativePositionBiasReference> reference;

    ValidatingRelativePositionBias(RelativePositionBias implementation, RelativePositionBiasSpec spec, Weights weights,
                                   ValidationRegistry registry) {
        super(ModuleKind.RELATIVE_POSITION_BIAS, implementation, Values.dtypeOf(weights, "weight"), List.of(), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new RelativePositionBiasReference(spec, weights));
    }

    @Override
    public void compute(int queryStart, int queries, int keys, Tensor out) {
        if (!validator.active()) {
            implementation.compute(queryStart, queries, keys, out);
            return;
        }
        long capturedAt = System.nanoTime();
        validator.validate(capturedAt, queries == 1 ? ShapeBuckets.DECODE : ShapeBuckets.PREFILL, queries, out.shape(),
                () -> implementation.compute(queryStart, queries, keys, out), out::toFloatArray,
                () -> reference.get().compute(queryStart, queries, keys));
    }
}
