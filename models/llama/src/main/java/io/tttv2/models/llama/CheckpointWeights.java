package io.tttv2.models.llama;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.TensorEntry;

/**
 * Module weights over a memory-mapped HF checkpoint: a tensor is wrapped where it lies in the file, in
 * its stored dtype — nothing is converted or copied at load.
 */
final class CheckpointWeights implements Weights {

    private final Checkpoint checkpoint;
    private final String prefix;     // "" or "model.layers.3.self_attn."

    CheckpointWeights(Checkpoint checkpoint) {
        this(checkpoint, "");
    }

    private CheckpointWeights(Checkpoint checkpoint, String prefix) {
        this.checkpoint = checkpoint;
        this.prefix = prefix;
    }

    @Override
    public Tensor get(String name) {
        TensorEntry entry = checkpoint.entry(prefix + name);
        return Tensor.wrap(entry.data(), dtype(entry), dims(entry));
    }

    @Override
    public boolean contains(String name) {
        return checkpoint.contains(prefix + name);
    }

    @Override
    public Weights scoped(String scope) {
        return new CheckpointWeights(checkpoint, prefix + scope + ".");
    }

    /** The compute dtype of a stored tensor; other stored types are named in the error. */
    static DType dtype(TensorEntry entry) {
        return switch (entry.dtype()) {
            case F32 -> DType.F32;
            case BF16 -> DType.BF16;
            case F16 -> DType.F16;
            default -> throw new ModelLoadException(entry.file().getFileName() + ": tensor '" + entry.name()
                    + "' has dtype " + entry.dtype() + ", expected one of F32, BF16, F16");
        };
    }

    private static int[] dims(TensorEntry entry) {
        long[] shape = entry.shape();
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = Math.toIntExact(shape[i]);
        }
        return dims;
    }
}
