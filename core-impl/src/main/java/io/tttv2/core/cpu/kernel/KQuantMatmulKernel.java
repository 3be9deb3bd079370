package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.BlockCodec;
import io.tttv2.api.tensor.DType;

/**
 * The portable matmul of {@link QuantizedMatmulKernel} for the K-quant weights (Q4_K, Q5_K, Q6_K: 256-value
 * super-blocks, as GGUF files hold them): each group of 4 weight rows is dequantised into the F32 tile by the
 * format's {@link BlockCodec} (scalar code), then multiplied as F32, in decode and prefill alike. Used only
 * where vectors are wider than 16 floats (the in-place {@link Q4_KMatmulKernel}, {@link Q5_KMatmulKernel} and
 * {@link Q6_KMatmulKernel} assume a vector lies in one sub-block); their tests compare against it.
 */
public final class KQuantMatmulKernel extends QuantizedMatmulKernel {

    private final DType dtype;
    private final BlockCodec codec;

    public KQuantMatmulKernel(DType dtype) {
        this.dtype = dtype;
        this.codec = switch (dtype) {
            case Q4_K, Q5_K, Q6_K -> BlockCodec.of(dtype);
            default -> throw new IllegalArgumentException("not a K-quant type: " + dtype);
        };
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    protected void dequantizeRow(long rowByte, float[] dst, int at) {
        // row offsets are whole super-blocks: back to an element index for the codec
        long first = rowByte / dtype.blockBytes() * dtype.blockSize();
        codec.decode(ws, first, dst, at, k);
    }
}
