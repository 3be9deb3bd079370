package io.tttv2.core.modules.encoder;

import io.tttv2.api.modules.PaddingMask;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.util.Arrays;

/** The entry checks of the encoder modules: a padded batch [B, T, width], its mask, an output like it. */
final class EncoderShapes {

    private EncoderShapes() {
    }

    /** x must be a contiguous F32 [B, T, width] with B, T > 0. */
    static void batch(String module, String what, Tensor x, int width) {
        if (x.rank() != 3 || x.dim(2) != width || x.dim(0) <= 0 || x.dim(1) <= 0 || x.dtype() != DType.F32
                || !x.isContiguous()) {
            throw new IllegalArgumentException(module + ": " + what + " is " + x + ", expected a contiguous F32 [B, T, "
                    + width + "]");
        }
    }

    /** out must have the shape of x and be contiguous. */
    static void same(String module, String what, Tensor out, Tensor x) {
        if (!Arrays.equals(out.shape(), x.shape()) || out.dtype() != DType.F32 || !out.isContiguous()) {
            throw new IllegalArgumentException(module + ": " + what + " is " + out + ", expected a contiguous F32 "
                    + Arrays.toString(x.shape()));
        }
    }

    static void mask(String module, PaddingMask mask, int batch, int length) {
        if (mask == null || mask.batch() != batch || mask.length() != length) {
            throw new IllegalArgumentException(module + ": padding mask is " + mask + ", expected " + batch + " x "
                    + length + " (the input's B x T)");
        }
    }
}
