package io.tttv2.core.modules;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Arrays;

/**
 * Reading a module's weights with their shapes checked against its spec. Matrices stay in their stored
 * dtype (the op library reads F32, BF16 and F16); vectors that ops take as F32 (biases, norm scales) are
 * converted once here, which is exact for BF16 and F16.
 */
public final class ModuleWeights {

    private ModuleWeights() {
    }

    /** The floating-point tensor {@code name} with exactly {@code shape}; throws naming both if not. */
    public static Tensor matrix(Weights weights, String name, String module, int... shape) {
        Tensor t = weights.get(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(module + ": weight '" + name + "' has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        }
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(module + ": weight '" + name + "' has dtype " + t.dtype()
                    + ", expected F32, BF16 or F16");
        }
        return t;
    }

    /** The vector {@code name} of length {@code length}, as a contiguous F32 copy made with {@code ops}. */
    public static Tensor vectorF32(Weights weights, String name, String module, int length, Ops ops) {
        Tensor t = matrix(weights, name, module, length);
        if (t.dtype() == DType.F32 && t.isContiguous()) {
            return t;
        }
        Tensor copy = Tensor.allocate(Arena.ofAuto(), DType.F32, length);
        ops.copy(t, copy);
        return copy;
    }

    /** {@link #vectorF32} if {@code present}, else null (a module without that bias). */
    public static Tensor optionalVectorF32(boolean present, Weights weights, String name, String module, int length,
                                           Ops ops) {
        return present ? vectorF32(weights, name, module, length, ops) : null;
    }
}
