package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Pooler;
import io.tttv2.api.modules.PoolerSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.PoolerReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/** A {@link Pooler} checked against {@link PoolerReference}. */
final class ValidatingPooler extends ValidatingModule implements Pooler {

    private final Pooler implementation;
    private final LazyReference<PoolerReference> reference;

    ValidatingPooler(Pooler implementation, PoolerSpec spec, Weights weights, ValidationRegistry registry) {
        super(ModuleKind.POOLER, implementation, Values.dtypeOf(weights, "dense.weight"), List.of(), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new PoolerReference(spec, weights));
    }

    @Override
    public void forward(Tensor hidden, Tensor out) {
        if (!validator.active()) {
            implementation.forward(hidden, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(hidden);                             // [B, T, hidden]
        int batch = hidden.dim(0);
        int tokens = hidden.dim(1);
        validator.validate(capturedAt, ShapeBuckets.DECODE, batch, hidden.shape(),
                () -> implementation.forward(hidden, out), out::toFloatArray,
                () -> reference.get().forward(input, batch, tokens));
    }
}
