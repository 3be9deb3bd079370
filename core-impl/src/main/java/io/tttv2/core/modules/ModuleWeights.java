package io.tttv2.core.modules;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
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

    /**
     * The vector {@code name} of length {@code length}, as a contiguous F32 copy: a stored BF16/F16 vector is
     * widened here with bulk copies and a plain loop over arrays, anything else is copied with {@code ops}.
     * A model's load widens dozens of norm scales before any kernel is compiled, and the Vector API copy
     * kernel runs hundreds of times slower in the interpreter (≈ 50 ms of a 1B model's load) than this loop.
     */
    public static Tensor vectorF32(Weights weights, String name, String module, int length, Ops ops) {
        Tensor t = matrix(weights, name, module, length);
        if (t.dtype() == DType.F32 && t.isContiguous()) {
            return t;
        }
        Tensor copy = Tensor.allocate(Arena.ofAuto(), DType.F32, length);
        if ((t.dtype() == DType.BF16 || t.dtype() == DType.F16) && t.isContiguous()) {
            widen(t, copy);
        } else {
            ops.copy(t, copy);
        }
        return copy;
    }

    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** in [n] BF16 or F16, contiguous → out [n] F32: exact. */
    static void widen(Tensor in, Tensor out) {
        int n = Math.toIntExact(in.elementCount());
        short[] half = new short[n];
        MemorySegment.copy(in.segment(), I16_LE, 0, half, 0, n);
        float[] wide = new float[n];
        if (in.dtype() == DType.BF16) {
            for (int i = 0; i < n; i++) {
                wide[i] = Float.intBitsToFloat(half[i] << 16);
            }
        } else {
            for (int i = 0; i < n; i++) {
                wide[i] = Float.float16ToFloat(half[i]);
            }
        }
        MemorySegment.copy(wide, 0, out.segment(), F32_LE, 0, n);
    }

    /** {@link #vectorF32} if {@code present}, else null (a module without that bias). */
    public static Tensor optionalVectorF32(boolean present, Weights weights, String name, String module, int length,
                                           Ops ops) {
        return present ? vectorF32(weights, name, module, length, ops) : null;
    }
}
