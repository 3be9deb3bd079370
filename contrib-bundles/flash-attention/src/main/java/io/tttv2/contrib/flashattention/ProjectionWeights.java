package io.tttv2.contrib.flashattention;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Arrays;

/**
 * The attention's weights with their shapes checked: matrices stay in their stored dtype (ops read F32,
 * BF16 and F16); vectors ops take as F32 (biases, norm scales) are converted once, exactly.
 */
final class ProjectionWeights {

    private static final String MODULE = "flash attention";

    private ProjectionWeights() {
    }

    /** The floating-point tensor {@code name} of exactly {@code shape}; throws naming both if not. */
    static Tensor matrix(Weights weights, String name, int... shape) {
        Tensor t = weights.get(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(MODULE + ": weight '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(MODULE + ": weight '" + name + "' has dtype " + t.dtype()
                    + ", expected F32, BF16 or F16");
        }
        return t;
    }

    /** The vector {@code name} [length] as contiguous F32. */
    static Tensor vectorF32(Weights weights, String name, int length, Ops ops) {
        Tensor t = matrix(weights, name, length);
        if (t.dtype() == DType.F32 && t.isContiguous()) {
            return t;
        }
        Tensor copy = Tensor.allocate(Arena.ofAuto(), DType.F32, length);
        ops.copy(t, copy);
        return copy;
    }

    /** {@link #vectorF32} if {@code present}, else null. */
    static Tensor optionalVectorF32(boolean present, Weights weights, String name, int length, Ops ops) {
        return present ? vectorF32(weights, name, length, ops) : null;
    }
}
