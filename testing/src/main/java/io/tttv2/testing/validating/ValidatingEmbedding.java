package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.EmbeddingReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/** An {@link Embedding} checked against {@link EmbeddingReference}. */
final class ValidatingEmbedding extends ValidatingModule implements Embedding {

    private final Embedding implementation;
    private final LazyReference<EmbeddingReference> reference;

    ValidatingEmbedding(Embedding implementation, EmbeddingSpec spec, Weights weights, ValidationRegistry registry) {
        super(ModuleKind.EMBEDDING, implementation, Values.dtypeOf(weights, "weight"), List.of(), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new EmbeddingReference(spec, weights));
    }

    @Override
    public Tensor table() {
        return implementation.table();
    }

    @Override
    public void prefill(int[] ids, Tensor out) {
        call(ShapeBuckets.PREFILL, ids, out, () -> implementation.prefill(ids, out));
    }

    @Override
    public void decode(int[] ids, Tensor out) {
        call(ShapeBuckets.DECODE, ids, out, () -> implementation.decode(ids, out));
    }

    private void call(String entry, int[] ids, Tensor out, Runnable real) {
        if (!validator.active()) {
            real.run();
            return;
        }
        long capturedAt = System.nanoTime();
        int[] tokens = ids.clone();
        validator.validate(capturedAt, entry, tokens.length, new int[] {tokens.length}, real, out::toFloatArray,
                () -> reference.get().apply(tokens));
    }
}
