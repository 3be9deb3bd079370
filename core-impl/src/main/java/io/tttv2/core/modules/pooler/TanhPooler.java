package io.tttv2.core.modules.pooler;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Pooler;
import io.tttv2.api.modules.PoolerSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import java.util.Arrays;

/**
 * BERT's pooler (HF's {@code BertPooler}): {@code out = tanh(dense(hidden[:, 0]))}. The first tokens are a
 * strided view of the batch, read in place by the matmul; tanh is the op library's soft-cap with cap 1
 * ({@code 1 · tanh(x / 1)}).
 */
public final class TanhPooler implements Pooler {

    private static final String MODULE = "pooler";

    private final PoolerSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Tensor dense;         // [hidden, hidden]
    private final Tensor denseBias;     // [hidden] F32

    public TanhPooler(PoolerSpec spec, ModuleConfig config, Weights weights, Device device) {
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.dense = ModuleWeights.matrix(weights, "dense.weight", MODULE, spec.hidden(), spec.hidden());
        this.denseBias = ModuleWeights.vectorF32(weights, "dense.bias", MODULE, spec.hidden(), ops);
    }

    @Override
    public void forward(Tensor hidden, Tensor out) {
        int h = spec.hidden();
        if (hidden.rank() != 3 || hidden.dim(2) != h || hidden.dim(0) <= 0 || hidden.dim(1) <= 0) {
            throw new IllegalArgumentException(MODULE + ": input has shape " + Arrays.toString(hidden.shape())
                    + ", expected [B, T, " + h + "]");
        }
        int b = hidden.dim(0);
        if (out.rank() != 2 || out.dim(0) != b || out.dim(1) != h) {
            throw new IllegalArgumentException(MODULE + ": output has shape " + Arrays.toString(out.shape())
                    + ", expected [" + b + ", " + h + "]");
        }
        Tensor first = hidden.select(1, 0);             // [B, hidden], rows T · hidden apart
        ops.matmul(first, dense, denseBias, out, config.matmulSplit());
        ops.softcap(out, 1f, out);                      // tanh
    }

    @Override
    public String candidate() {
        return TanhPoolerFactory.NAME;
    }

    @Override
    public PoolerSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
