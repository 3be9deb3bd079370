package com.acme.norm;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * RMSNorm (HF {@code LlamaRMSNorm}): {@code out = x / sqrt(mean(x²) + eps) · (offset + w)}, offset 1 for
 * Gemma's {@code (1 + w)}. One pass over each row for the sum of squares (accumulated in double), one to
 * scale it, straight on the activations' memory; the weight is converted to float once, here. A template for
 * a third-party module: correct first, then make it fast (the core's kernels use the Vector API).
 */
final class RmsFastNorm implements Norm {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final NormSpec spec;
    private final ModuleConfig config;
    private final float[] scale;    // [dim]: offset + w

    RmsFastNorm(NormSpec spec, ModuleConfig config, Tensor weight) {
        if (weight.rank() != 1 || weight.dim(0) != spec.dim() || !weight.dtype().isFloating()) {
            throw new IllegalArgumentException(RmsFastNormFactory.NAME + ": weight 'weight' has shape "
                    + Arrays.toString(weight.shape()) + " " + weight.dtype() + ", expected [" + spec.dim() + "] F32, BF16 or F16");
        }
        this.spec = spec;
        this.config = config;
        this.scale = new float[spec.dim()];
        for (int i = 0; i < scale.length; i++) {
            scale[i] = spec.weightOffset() + weight.getFloat(i);
        }
    }

    @Override
    public void prefill(Tensor x, Tensor out) {
        apply(x, out);
    }

    @Override
    public void decode(Tensor x, Tensor out) {
        apply(x, out);
    }

    /** x, out [rows..., dim] F32, contiguous; out may be x. */
    private void apply(Tensor x, Tensor out) {
        int dim = spec.dim();
        if (x.dtype() != DType.F32 || out.dtype() != DType.F32 || !x.isContiguous() || !out.isContiguous()
                || x.dim(-1) != dim || !Arrays.equals(x.shape(), out.shape())) {
            throw new IllegalArgumentException(RmsFastNormFactory.NAME + ": expected contiguous F32 x and out of equal shape [..., "
                    + dim + "], found " + x + " and " + out);
        }
        MemorySegment in = x.segment();
        MemorySegment to = out.segment();
        long rows = x.elementCount() / dim;
        for (long r = 0; r < rows; r++) {
            long base = r * dim * 4L;
            double sumOfSquares = 0;
            for (int i = 0; i < dim; i++) {
                float v = in.get(F32, base + i * 4L);
                sumOfSquares += (double) v * v;
            }
            float inverse = (float) (1.0 / Math.sqrt(sumOfSquares / dim + spec.eps()));
            for (int i = 0; i < dim; i++) {
                to.set(F32, base + i * 4L, in.get(F32, base + i * 4L) * inverse * scale[i]);
            }
        }
    }

    @Override
    public String candidate() {
        return RmsFastNormFactory.NAME;
    }

    @Override
    public NormSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
