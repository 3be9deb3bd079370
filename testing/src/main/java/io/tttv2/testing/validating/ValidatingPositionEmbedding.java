package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.PositionEmbedding;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.PositionEmbeddingReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/** A {@link PositionEmbedding} checked against {@link PositionEmbeddingReference}; it adds in place, so x is copied first. */
final class ValidatingPositionEmbedding extends ValidatingModule implements PositionEmbedding {

    private final PositionEmbedding implementation;
    private final LazyReference<PositionEmbeddingReference> reference;

    ValidatingPositionEmbedding(PositionEmbedding implementation, PositionEmbeddingSpec spec, Weights weights,
                                ValidationRegistry registry) {
        super(ModuleKind.POSITION_EMBEDDING, implementation, Values.dtypeOf(weights, "weight"), List.of(), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new PositionEmbeddingReference(spec, weights));
    }

    @Override
    public void prefill(Tensor x, int start) {
        if (!validator.active()) {
            implementation.prefill(x, start);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [T, hidden]
        int tokens = x.dim(0);
        validator.validate(capturedAt, ShapeBuckets.PREFILL, tokens, x.shape(),
                () -> implementation.prefill(x, start), x::toFloatArray,
                () -> reference.get().prefill(input, tokens, start));
    }

    @Override
    public void decode(Tensor x, int[] positions) {
        if (!validator.active()) {
            implementation.decode(x, positions);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(x);                  // [B, hidden]
        int[] at = positions.clone();
        validator.validate(capturedAt, ShapeBuckets.DECODE, x.dim(0), x.shape(),
                () -> implementation.decode(x, positions), x::toFloatArray,
                () -> reference.get().apply(input, at));
    }
}
