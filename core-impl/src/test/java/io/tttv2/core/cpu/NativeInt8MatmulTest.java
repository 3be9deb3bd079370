package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.NativeKernelsTesting.requireNativeKernels;
import static io.tttv2.core.cpu.NativeKernelsTesting.scaleOneChunkPerRow;
import static io.tttv2.core.cpu.TestTensors.device;
import static io.tttv2.core.cpu.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.NativeKernels;
import io.tttv2.core.cpu.kernel.NativeQ4_0MatmulKernel;
import io.tttv2.core.cpu.kernel.NativeQ8_0MatmulKernel;
import io.tttv2.core.cpu.kernel.QuantizedMatmulKernel;
import io.tttv2.core.cpu.kernel.QuantizedMatmuls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native Q8_0/Q4_0 kernels against a plain scalar reference written here: x quantised per block of 32 (Q4_0
 * to int8, d = amax / 127; Q8_0 to int16, d = amax / 32767; round to nearest even), exact integer dots per lane
 * of 4 values, and the kernel's
 * documented order of float operations (8 lanes, one fma per block and lane, then the fixed lane sum), so the
 * results must be equal bit for bit. A second check bounds the int8 error against the float64 product of the
 * dequantised weights. Skipped where the native kernels are not available (then the Java kernels run, and
 * {@link QuantizedMatmulTest} covers them).
 */
class NativeInt8MatmulTest {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (DType dt : new DType[] {DType.Q8_0, DType.Q4_0}) {
            for (int m : new int[] {1, 2, 3, 4, 5, 17, 64, 70}) {
                for (int k : new int[] {96, 32 * 67}) {
                    for (boolean bias : new boolean[] {false, true}) {
                        all.add(Arguments.of(dt, m, k, bias));
                    }
                }
            }
        }
        return all;
    }

    /**
     * K = 96 (three blocks, not a multiple of 64) and 32 × 67 (a panel of 64 unpacked weight blocks and 3 more),
     * M = 70 (a pass of 64 rows over each panel and 6 more), N = 13 (a group of 8 columns and 5 more, the last
     * row of a pair paired with itself), strided x and out, weights starting mid-tensor.
     */
    @ParameterizedTest(name = "{0} M={1} K={2} bias={3}")
    @MethodSource("cases")
    void equalsTheScalarInt8Reference(DType dtype, int m, int k, boolean withBias) {
        requireNativeKernels();
        Random r = new Random(m * 7L + k + dtype.ordinal() + (withBias ? 100 : 0));
        int n = 13;
        Tensor x = random(r, DType.F32, m, k + 7).slice(1, 3, k);          // rows k + 7 apart, offset 3
        scaleOneChunkPerRow(x, r);
        Tensor w = QuantizedMatmulTest.quantized(r, dtype, n + 2, k).slice(0, 2, n);   // starts at row 2
        Tensor bias = withBias ? random(r, DType.BF16, n) : null;
        Tensor outWide = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n + 5);
        Tensor out = outWide.slice(1, 2, n);
        for (int workers : new int[] {1, 2}) {
            device(workers).ops().matmul(x, w, bias, out);
            float[] expected = reference(x, w, bias);
            float[] actual = out.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                        dtype + " M=" + m + " out[" + i / n + ", " + i % n + "]: " + expected[i] + " vs " + actual[i]);
            }
            // and the error of x's integers stays within its worst case against the float64 product of the
            // dequantised weights: each x moves by at most half a step (amax / 254 of its block in int8, / 65534
            // in int16)
            double[] exact = MatmulTest.reference(x, w, bias);
            float[] wf = w.toFloatArray();
            for (int i = 0; i < exact.length; i++) {
                int row = i / n, col = i % n;
                double bound = 1e-5 * (1 + Math.abs(exact[i]));
                for (int b = 0; b < k / 32; b++) {
                    double amax = 0, wsum = 0;
                    for (int j = b * 32; j < b * 32 + 32; j++) {
                        amax = Math.max(amax, Math.abs(x.getFloat(row, j)));
                        wsum += Math.abs(wf[col * k + j]);
                    }
                    bound += amax / (dtype == DType.Q8_0 ? 65534 : 254) * wsum * 1.0001;
                }
                assertTrue(Math.abs(exact[i] - actual[i]) <= bound,
                        dtype + " out " + i + ": " + actual[i] + " vs float64 " + exact[i] + ", bound " + bound);
            }
        }
    }

    /**
     * A row's result does not depend on M or on how the columns are split: each row of a 64-row call, computed
     * alone (M = 1) and in a 3-row call, and the columns computed in uneven chunks, are the same bits.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0"})
    void aRowsBitsDoNotDependOnMOrTheSplit(DType dtype) {
        requireNativeKernels();
        Random r = new Random(3);
        int m = 64;
        int k = 32 * 67;     // M < 4 multiplies the scales in the loop, M >= 4 in panels of 64 blocks: same bits
        int n = 37;
        Tensor x = random(r, DType.F32, m, k);
        Tensor w = QuantizedMatmulTest.quantized(r, dtype, n, k);
        Tensor all = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        device(2).ops().matmul(x, w, null, all);
        float[] whole = all.toFloatArray();

        Tensor one = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, n);
        Tensor three = Tensor.allocate(Arena.ofAuto(), DType.F32, 3, n);
        for (int row = 0; row < m; row++) {
            device(1).ops().matmul(x.slice(0, row, 1), w, null, one);
            assertRowEquals(whole, row, one.toFloatArray(), 0, n, dtype + " row " + row + " alone");
            if (row + 3 <= m) {
                device(2).ops().matmul(x.slice(0, row, 3), w, null, three);
                assertRowEquals(whole, row, three.toFloatArray(), 0, n, dtype + " row " + row + " of 3");
            }
        }
        // the kernel called directly over uneven column chunks
        QuantizedMatmulKernel kernel = QuantizedMatmuls.forThisThread(dtype);
        Tensor split = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        kernel.bind(x, w, null, split);
        kernel.run(0, 5);
        kernel.run(5, 6);
        kernel.run(6, 29);
        kernel.run(29, n);
        kernel.unbind();
        float[] chunks = split.toFloatArray();
        for (int i = 0; i < whole.length; i++) {
            assertEquals(Float.floatToIntBits(whole[i]), Float.floatToIntBits(chunks[i]), dtype + " split, out " + i);
        }
    }

    /** The native types where the library is bound, the Java ones otherwise. */
    @Test
    void theNativeTypesAreBoundWhereAvailable() {
        boolean nativeQ8_0 = QuantizedMatmuls.forThisThread(DType.Q8_0) instanceof NativeQ8_0MatmulKernel;
        assertEquals(NativeKernels.AVAILABLE, nativeQ8_0, NativeKernels.STATUS);
        boolean nativeQ4_0 = QuantizedMatmuls.forThisThread(DType.Q4_0) instanceof NativeQ4_0MatmulKernel;
        assertEquals(NativeKernels.AVAILABLE, nativeQ4_0, NativeKernels.STATUS);
    }

    /** A heap x cannot be passed to native code: that call runs the Java kernel, and still multiplies right. */
    @Test
    void heapMemoryTakesTheJavaKernel() {
        Random r = new Random(11);
        int k = 64;
        Tensor w = QuantizedMatmulTest.quantized(r, DType.Q8_0, 6, k);
        float[] values = new float[2 * k];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextFloat() * 2 - 1;
        }
        Tensor x = Tensor.wrap(MemorySegment.ofArray(values), DType.F32, 2, k);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 6);
        Ops ops = device(1).ops();
        ops.matmul(x, w, null, out);
        TestTensors.assertClose(MatmulTest.reference(x, w, null), out, 1e-4, 1e-5, "heap x");
    }

    /** -Dtttv2.kernels.native=false: a JVM started so binds the Java kernels and says why in its status line. */
    @Test
    void disabledByTheProperty() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Dtttv2.kernels.native=false",
                "-cp", System.getProperty("java.class.path"), NativeKernelsStatus.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("native kernels not used: -Dtttv2.kernels.native=false"), output);
        assertTrue(output.contains("Q8_0 kernel: Q8_0MatmulKernel"), output);
        assertTrue(output.contains("Q4_0 kernel: Q4_0MatmulKernel"), output);
    }

    // ---- the reference ------------------------------------------------------------------------------

    /** out[M, N] as the kernel computes it (see int8_tile.h), in Java scalars. */
    static float[] reference(Tensor x, Tensor w, Tensor bias) {
        int m = x.dim(0), k = x.dim(1), n = w.dim(0), blocks = k / 32;
        boolean q8 = w.dtype() == DType.Q8_0;
        long rowBytes = w.dtype().bytesFor(w.stride(0));
        long first = w.dtype().bytesFor(w.offset());
        MemorySegment wb = w.base();
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            int[] q = new int[k];
            float[] dx = new float[blocks];
            for (int b = 0; b < blocks; b++) {
                float amax = 0;
                for (int j = 0; j < 32; j++) {
                    amax = Math.max(amax, Math.abs(x.getFloat(i, b * 32 + j)));
                }
                float d = amax / (q8 ? 32767f : 127f);                 // Q8_0 takes x as int16, Q4_0 as int8
                float id = d != 0 ? 1f / d : 0f;
                dx[b] = d;
                for (int j = 0; j < 32; j++) {
                    q[b * 32 + j] = (int) Math.rint(x.getFloat(i, b * 32 + j) * id);
                }
            }
            for (int c = 0; c < n; c++) {
                float[] lanes = new float[8];
                for (int b = 0; b < blocks; b++) {
                    long block = first + c * rowBytes + b * (q8 ? 34L : 18L);
                    float dw = Float.float16ToFloat(wb.get(I16, block));
                    float scale = dw * dx[b];
                    for (int l = 0; l < 8; l++) {
                        int s = 0;
                        // the values of lane l: Q4_0 (vpdpbusd) 4l..4l+3; Q8_0 (two vpdpwssd) 2l, 2l+1, 16+2l, 17+2l
                        int[] values = q8 ? new int[] {2 * l, 2 * l + 1, 16 + 2 * l, 17 + 2 * l}
                                : new int[] {4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3};
                        for (int t : values) {
                            s += weight(wb, block, t, q8) * q[b * 32 + t];
                        }
                        lanes[l] = Math.fma((float) s, scale, lanes[l]);
                    }
                }
                float h0 = lanes[0] + lanes[4], h1 = lanes[1] + lanes[5], h2 = lanes[2] + lanes[6], h3 = lanes[3] + lanes[7];
                float v = (h0 + h2) + (h1 + h3);
                if (bias != null) {
                    v += bias.getFloat(c);
                }
                out[i * n + c] = v;
            }
        }
        return out;
    }

    /** Value t of a block as a signed integer: Q8_0 the byte, Q4_0 its nibble minus 8. */
    private static int weight(MemorySegment wb, long block, int t, boolean q8) {
        if (q8) {
            return wb.get(ValueLayout.JAVA_BYTE, block + 2 + t);
        }
        int packed = wb.get(ValueLayout.JAVA_BYTE, block + 2 + t % 16) & 0xFF;
        return (t < 16 ? packed & 0x0F : packed >>> 4) - 8;
    }

    private static void assertRowEquals(float[] whole, int row, float[] part, int partRow, int n, String what) {
        for (int c = 0; c < n; c++) {
            assertEquals(Float.floatToIntBits(whole[row * n + c]), Float.floatToIntBits(part[partRow * n + c]),
                    what + ", column " + c);
        }
    }
}
