package io.tttv2.core.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Random;

/** Test inputs (seeded random tensors, strided views) and tolerance checks against float64 references. */
public final class TestTensors {

    /** Devices with 1 and 2 workers, shared by the tests (their threads are daemons). */
    static final CpuDevice ONE_WORKER = new CpuDevice(1);
    static final CpuDevice TWO_WORKERS = new CpuDevice(2);

    private TestTensors() {
    }

    static CpuDevice device(int workers) {
        return workers == 1 ? ONE_WORKER : TWO_WORKERS;
    }

    /** A contiguous tensor of uniform values in [-1, 1), stored in {@code dtype}. */
    static Tensor random(Random r, DType dtype, int... shape) {
        Tensor t = Tensor.allocate(Arena.ofAuto(), dtype, shape);
        fill(r, t);
        return t;
    }

    /** Fills t (any layout) with uniform values in [-1, 1). */
    static void fill(Random r, Tensor t) {
        float[] v = new float[(int) t.elementCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        set(t, v);
    }

    /** Writes row-major values into t (any layout, any float dtype: rounded to it). */
    public static void set(Tensor t, float[] values) {
        int[] shape = t.shape();
        int[] index = new int[shape.length];
        for (float v : values) {
            t.setFloat(v, index);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
    }

    /**
     * An F32 view of the given shape whose rows are strided: the last dimension is a slice (at offset 1)
     * of a wider one, so rows are {@code width + 3} apart and the view starts off-alignment.
     */
    static Tensor rowStrided(Random r, int... shape) {
        int[] wide = shape.clone();
        wide[wide.length - 1] += 3;
        Tensor t = Tensor.allocate(Arena.ofAuto(), DType.F32, wide).slice(-1, 1, shape[shape.length - 1]);
        fill(r, t);
        return t;
    }

    /** An F32 view whose elements along the last dimension are 2 apart. */
    static Tensor elementStrided(Random r, int... shape) {
        int[] wide = Arrays.copyOf(shape, shape.length + 1);
        wide[shape.length] = 2;
        Tensor t = Tensor.allocate(Arena.ofAuto(), DType.F32, wide).select(shape.length, 1);
        fill(r, t);
        return t;
    }

    /** A tensor of {@code layout}: "contiguous", "rows" (row-strided) or "elements" (element-strided). */
    static Tensor f32(Random r, String layout, int... shape) {
        return switch (layout) {
            case "contiguous" -> random(r, DType.F32, shape);
            case "rows" -> rowStrided(r, shape);
            case "elements" -> elementStrided(r, shape);
            default -> throw new IllegalArgumentException(layout);
        };
    }

    static double[] doubles(Tensor t) {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** BF16 rounding to nearest even, written out plainly for the references. */
    static float roundBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        int lower = bits & 0xFFFF;
        int upper = bits >>> 16;
        if (lower > 0x8000 || (lower == 0x8000 && (upper & 1) == 1)) {
            upper++;
        }
        return Float.intBitsToFloat(upper << 16);
    }

    /** The value {@code v} becomes when stored in {@code dtype}. */
    static float roundTo(DType dtype, float v) {
        return switch (dtype) {
            case F32 -> v;
            case BF16 -> roundBf16(v);
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(v));
            default -> throw new IllegalArgumentException(dtype.toString());
        };
    }

    /** Every element within {@code abs + rel·|expected|}; fails naming the first element that is not. */
    static void assertClose(double[] expected, Tensor actual, double abs, double rel, String what) {
        float[] got = actual.toFloatArray();
        if (got.length != expected.length) {
            fail(what + ": " + got.length + " elements, expected " + expected.length);
        }
        for (int i = 0; i < got.length; i++) {
            double err = Math.abs(got[i] - expected[i]);
            double tol = abs + rel * Math.abs(expected[i]);
            if (!(err <= tol)) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + expected[i] + " (error " + err
                        + " > tolerance " + tol + ")");
            }
        }
    }
}
