package io.tttv2.integration.hf.weights;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import io.tttv2.integration.hf.safetensors.TensorEntry;

/**
 * Module weights over a memory-mapped HF checkpoint (one file or shards): a tensor is wrapped where it lies in
 * the file, in its stored dtype — nothing is converted or copied at load.
 */
public final class CheckpointWeights implements Weights {

    private final Checkpoint checkpoint;
    private final String prefix;     // "" or "model.layers.3.self_attn."

    public CheckpointWeights(Checkpoint checkpoint) {
        this(checkpoint, "");
    }

    private CheckpointWeights(Checkpoint checkpoint, String prefix) {
        this.checkpoint = checkpoint;
        this.prefix = prefix;
    }

    @Override
    public Tensor get(String name) {
        return tensor(checkpoint.entry(prefix + name));
    }

    @Override
    public boolean contains(String name) {
        return checkpoint.contains(prefix + name);
    }

    @Override
    public Weights scoped(String scope) {
        return new CheckpointWeights(checkpoint, prefix + scope + ".");
    }

    /** The entry's bytes as a tensor of its own shape and dtype (no copy). */
    public static Tensor tensor(TensorEntry entry) {
        long[] shape = entry.shape();
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = Math.toIntExact(shape[i]);
        }
        return Tensor.wrap(entry.data(), dtype(entry), dims);
    }

    /**
     * The compute dtype of a stored float or (from a GGUF file) block-quantised tensor.
     *
     * @throws CheckpointFormatException naming the file, the tensor, the dtype found and those expected
     */
    public static DType dtype(TensorEntry entry) {
        return switch (entry.dtype()) {
            case F32 -> DType.F32;
            case BF16 -> DType.BF16;
            case F16 -> DType.F16;
            case Q8_0 -> DType.Q8_0;
            case Q4_0 -> DType.Q4_0;
            case Q4_K -> DType.Q4_K;
            case Q5_K -> DType.Q5_K;
            case Q6_K -> DType.Q6_K;
            default -> throw new CheckpointFormatException(entry.file().getFileName() + ": tensor '" + entry.name()
                    + "' has dtype " + entry.dtype() + ", expected one of F32, BF16, F16, Q8_0, Q4_0, Q4_K, Q5_K, Q6_K");
        };
    }
}
