package io.tttv2.core.modules.embedding;

import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import java.util.Arrays;

/**
 * Token embedding: gathers rows of {@code weight} [vocab, hidden] and multiplies them by the spec's scale
 * (Gemma: sqrt(hidden), which HF rounds to float32 before multiplying). Whether to scale is decided here.
 */
public final class TokenEmbedding implements Embedding {

    private static final String MODULE = "embedding";

    private final EmbeddingSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Tensor table;         // [V, H]
    private final boolean scaled;

    public TokenEmbedding(EmbeddingSpec spec, ModuleConfig config, Weights weights, Device device) {
        if (spec.vocab() <= 0 || spec.hidden() <= 0 || !(spec.scale() > 0)) {
            throw new IllegalArgumentException("embedding needs vocab > 0, hidden > 0 and scale > 0, found "
                    + spec.vocab() + ", " + spec.hidden() + ", " + spec.scale());
        }
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.table = ModuleWeights.matrix(weights, "weight", MODULE, spec.vocab(), spec.hidden());
        this.scaled = spec.scale() != 1f;
    }

    @Override
    public Tensor table() {
        return table;
    }

    @Override
    public void prefill(int[] ids, Tensor out) {
        gather(ids, out);
    }

    @Override
    public void decode(int[] ids, Tensor out) {
        gather(ids, out);
    }

    /** ids [n] → out [n, H]. */
    private void gather(int[] ids, Tensor out) {
        if (out.rank() != 2 || out.dim(0) != ids.length || out.dim(1) != spec.hidden()) {
            throw new IllegalArgumentException("embedding: output has shape " + Arrays.toString(out.shape())
                    + ", expected [" + ids.length + ", " + spec.hidden() + "]");
        }
        for (int id : ids) {
            if (id < 0 || id >= spec.vocab()) {
                throw new IllegalArgumentException("embedding: token id " + id + " is outside the vocabulary of "
                        + spec.vocab());
            }
        }
        ops.embedding(table, ids, out);
        if (scaled) {
            ops.scale(out, spec.scale(), out);
        }
    }

    @Override
    public String candidate() {
        return TokenEmbeddingFactory.NAME;
    }

    @Override
    public EmbeddingSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
