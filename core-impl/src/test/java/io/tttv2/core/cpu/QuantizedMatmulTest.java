package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static io.tttv2.core.cpu.TestTensors.random;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.BlockCodec;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.JavaKernelSwitch;
import io.tttv2.core.cpu.kernel.KQuantMatmulKernel;
import io.tttv2.core.cpu.kernel.QuantizedMatmulKernel;
import io.tttv2.core.cpu.kernel.QuantizedMatmuls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The block-quantised matmul kernels against the plain reference: the weights dequantised by the codec
 * ({@link Tensor#toFloatArray()}), then a float64 matmul. Odd row counts exercise partial 4-row blocks;
 * M &lt; 4 takes the decode path, M ≥ 4 the tiled prefill path.
 */
class QuantizedMatmulTest {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final DType[] TYPES = {DType.Q8_0, DType.Q4_0, DType.Q4_K, DType.Q5_K, DType.Q6_K};

    /**
     * w [n, k] of {@code dtype}: Q8_0/Q4_0 encoded from uniform floats in [-1, 1); the K-quants random bytes
     * with small finite f16 scales (we have no K-quant encoder; every bit pattern of the rest is valid).
     */
    static Tensor quantized(Random r, DType dtype, int n, int k) {
        Tensor w = Tensor.allocate(Arena.ofAuto(), dtype, n, k);
        MemorySegment bytes = w.segment();
        BlockCodec codec = BlockCodec.of(dtype);
        if (codec.canEncode()) {
            float[] v = new float[n * k];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextFloat() * 2 - 1;
            }
            codec.encode(v, 0, v.length, bytes, 0);
            return w;
        }
        byte[] raw = new byte[(int) bytes.byteSize()];
        r.nextBytes(raw);
        MemorySegment.copy(raw, 0, bytes, ValueLayout.JAVA_BYTE, 0, raw.length);
        for (long b = 0; b < bytes.byteSize(); b += dtype.blockBytes()) {
            float d = 0.002f * (1 + r.nextInt(8));
            switch (dtype) {
                case Q4_K, Q5_K -> {
                    bytes.set(I16, b, Float.floatToFloat16(d));
                    bytes.set(I16, b + 2, Float.floatToFloat16(d / 2));
                }
                case Q6_K -> bytes.set(I16, b + 208, Float.floatToFloat16(d / 8));
                default -> throw new AssertionError(dtype);
            }
        }
        return w;
    }

    private boolean q8JavaOnly;
    private boolean q4JavaOnly;

    /** These are the tests of the Java kernels: where native int8 ones are bound, NativeInt8MatmulTest has them. */
    @BeforeEach
    void javaKernels() {
        q8JavaOnly = JavaKernelSwitch.set(DType.Q8_0, true);
        q4JavaOnly = JavaKernelSwitch.set(DType.Q4_0, true);
    }

    @AfterEach
    void restoreKernels() {
        JavaKernelSwitch.set(DType.Q8_0, q8JavaOnly);
        JavaKernelSwitch.set(DType.Q4_0, q4JavaOnly);
    }

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        int[][] mn = {{1, 1}, {1, 7}, {1, 33}, {2, 5}, {3, 9}, {4, 7}, {5, 13}, {9, 67}, {67, 6}};
        for (DType dt : TYPES) {
            for (int[] s : mn) {
                for (int blocks : new int[] {1, 3}) {
                    for (int workers : new int[] {1, 2}) {
                        all.add(Arguments.of(dt, s[0], blocks * dt.blockSize(), s[1], workers));
                    }
                }
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} M={1} K={2} N={3} workers={4}")
    @MethodSource("cases")
    void matchesDequantisedReference(DType dtype, int m, int k, int n, int workers) {
        Random r = new Random(m * 1000L + k * 10 + n + dtype.ordinal());
        Ops ops = device(workers).ops();
        Tensor x = random(r, DType.F32, m, k);
        Tensor w = quantized(r, dtype, n, k);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        double[] expected = MatmulTest.reference(x, w, null);
        double scale = maxAbs(w.toFloatArray());
        // float accumulation over K terms of magnitude ≤ scale
        double tol = scale * (3e-6 * Math.sqrt(k) + 1e-6);
        ops.matmul(x, w, null, out);
        assertClose(expected, out, tol, 1e-5, "matmul " + dtype);

        Tensor bias = random(r, DType.BF16, n);
        ops.matmul(x, w, bias, out);
        assertClose(MatmulTest.reference(x, w, bias), out, tol, 1e-5, "matmul with bias " + dtype);
    }

    static List<Arguments> everyM() {
        List<Arguments> all = new ArrayList<>();
        for (DType dt : TYPES) {
            for (int m = 1; m <= 70; m++) {
                all.add(Arguments.of(dt, m));
            }
        }
        return all;
    }

    /**
     * Every M from 1 to 70: the decode loop (M &lt; 4), the 4×4 and 1×4 blocks of the prefill tile and a second
     * panel of x rows (M &gt; 64), against 11 weight rows (two full 4-row blocks and a partial one) of 2 blocks.
     */
    @ParameterizedTest(name = "{0} M={1}")
    @MethodSource("everyM")
    void everyRowCountOfX(DType dtype, int m) {
        Random r = new Random(m * 31L + dtype.ordinal());
        int k = 2 * dtype.blockSize();
        Tensor x = random(r, DType.F32, m, k);
        Tensor w = quantized(r, dtype, 11, k);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, m, 11);
        device(1 + m % 2).ops().matmul(x, w, null, out);
        double tol = maxAbs(w.toFloatArray()) * (3e-6 * Math.sqrt(k) + 1e-6);
        assertClose(MatmulTest.reference(x, w, null), out, tol, 1e-5, dtype + " M=" + m);
    }

    /**
     * The in-place K-quant kernels against the codec's scalar route ({@link KQuantMatmulKernel}, which the
     * kernels replace where vectors are at most 16 floats), called directly, over a longer row (8 super-blocks).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DType.class, names = {"Q4_K", "Q5_K", "Q6_K"})
    void inPlaceKQuantKernelsAgreeWithTheCodecRoute(DType dtype) {
        Random r = new Random(17);
        int k = 8 * dtype.blockSize();
        int n = 9;
        Tensor w = quantized(r, dtype, n, k);
        for (int m : new int[] {1, 3, 4, 6}) {
            Tensor x = random(r, DType.F32, m, k);
            Tensor fast = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
            Tensor scalar = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
            QuantizedMatmulKernel kernel = QuantizedMatmuls.forThisThread(dtype);
            kernel.bind(x, w, null, fast);
            kernel.run(0, n);
            kernel.unbind();
            KQuantMatmulKernel codecRoute = new KQuantMatmulKernel(dtype);
            codecRoute.bind(x, w, null, scalar);
            codecRoute.run(0, n);
            codecRoute.unbind();
            float[] expected = scalar.toFloatArray();
            double[] wide = new double[expected.length];
            for (int i = 0; i < wide.length; i++) {
                wide[i] = expected[i];
            }
            double tol = maxAbs(w.toFloatArray()) * (6e-6 * Math.sqrt(k) + 1e-6);
            assertClose(wide, fast, tol, 1e-5, dtype + " in place vs codec, M=" + m);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void slicedWeightRowsAndStridedActivations(DType dtype) {
        Random r = new Random(5);
        int k = 2 * dtype.blockSize();
        Tensor wAll = quantized(r, dtype, 41, k);
        Tensor w = wAll.slice(0, 3, 30);                                  // rows 3..32: starts mid-tensor
        for (int m : new int[] {2, 7}) {
            Tensor xWide = random(r, DType.F32, m, k + 5);
            Tensor x = xWide.slice(1, 2, k);                              // rows k + 5 apart
            Tensor outWide = Tensor.allocate(Arena.ofAuto(), DType.F32, m, 33);
            Tensor out = outWide.slice(1, 1, 30);
            device(2).ops().matmul(x, w, null, out);
            double tol = maxAbs(w.toFloatArray()) * (3e-6 * Math.sqrt(k) + 1e-6);
            assertClose(MatmulTest.reference(x, w, null), out, tol, 1e-5, "sliced " + dtype + " M=" + m);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void embeddingRowsAreDequantised(DType dtype) {
        Random r = new Random(9);
        int h = 2 * dtype.blockSize();
        Tensor table = quantized(r, dtype, 11, h);
        int[] ids = {0, 10, 3, 3, 7};
        for (int workers : new int[] {1, 2}) {
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, ids.length, h);
            device(workers).ops().embedding(table, ids, out);
            double[] expected = new double[ids.length * h];
            float[] all = table.toFloatArray();
            for (int i = 0; i < ids.length; i++) {
                for (int j = 0; j < h; j++) {
                    expected[i * h + j] = all[ids[i] * h + j];
                }
            }
            assertClose(expected, out, 0, 0, "embedding " + dtype);
        }
    }

    /**
     * The Q4_0 decode loop sums (1 + q/16)·x and takes 24·Σx off per block (the offset of both the nibble and
     * the float it is made into): x with a large common offset (mean 8, spread 1) over a long row makes that
     * correction far bigger than the result, so lost precision would show against the float64 reference.
     */
    @ParameterizedTest(name = "M={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3})
    void q4_0DecodeKeepsItsPrecisionWhenXHasALargeMean(int m) {
        Random r = new Random(40 + m);
        int k = 64 * 32;
        int n = 13;
        float[] xv = new float[m * k];
        double absSum = 0;
        for (int i = 0; i < xv.length; i++) {
            xv[i] = 8 + (float) r.nextGaussian();
            absSum += Math.abs(xv[i]);
        }
        Tensor x = Tensor.of(xv, m, k);
        Tensor w = quantized(r, DType.Q4_0, n, k);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        device(1).ops().matmul(x, w, null, out);
        // float rounding relative to the magnitudes summed (Σ|x|·max|w| per row), not to the result
        double tol = maxAbs(w.toFloatArray()) * absSum / m * 2e-7;
        assertClose(MatmulTest.reference(x, w, null), out, tol, 0, "Q4_0 decode, x with mean 8, M=" + m);
    }

    @Test
    void aLongerRowIsCheckedAgainstHandWorkedQ4_0() {
        // one row of x = 1 everywhere against one Q4_0 block with d = 0.5 and nibbles 0..15 (low) / 15..0 (high):
        // Σ 0.5 · (q − 8) = 0.5 · (Σ_{q=0}^{15} (q − 8) · 2) = 0.5 · (−8 · 2) = −8
        Tensor w = Tensor.allocate(Arena.ofAuto(), DType.Q4_0, 1, 32);
        MemorySegment s = w.segment();
        s.set(I16, 0, Float.floatToFloat16(0.5f));
        for (int j = 0; j < 16; j++) {
            s.set(ValueLayout.JAVA_BYTE, 2 + j, (byte) (j | (15 - j) << 4));
        }
        Tensor x = Tensor.of(ones(32), 1, 32);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, 1);
        device(1).ops().matmul(x, w, null, out);
        assertClose(new double[] {-8}, out, 0, 0, "hand-worked Q4_0");
    }

    static DType[] types() {
        return TYPES;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
