package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Bf16DotTesting.requireBf16Dot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The BF16 matmul precision ({@link MatmulPrecision#BF16}; bf16_dot.c through {@link MatmulKernel}): the rounding
 * of x and one VDPBF16PS lane against values worked out by hand from the Intel SDM (so {@link Bf16DotModel} is the
 * SDM's arithmetic), the native rounding and the kernel bit for bit against that model over every M the routes
 * take (1..16, past 16, past one panel), K with and without a tail, strided operands and uneven column splits; a
 * row's bits the same whatever its batch; a float64 bound; the route taken; the property's parsing. Skipped only
 * where the CPU cannot run the kernel (no AVX512_BF16, no AVX-512 VNNI, not Linux x86-64).
 */
class Bf16DotTest {

    private static final CpuDevice ONE = new CpuDevice(1);
    private static final CpuDevice TWO = new CpuDevice(2);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    @AfterEach
    void f32Again() {
        Bf16DotTesting.set(null);
    }

    // ---- the model against the SDM, by hand ------------------------------------------------------------

    /** Round to nearest even on the upper half; NaN quiet; subnormals to signed zero; overflow to infinity. */
    @Test
    void roundingToBf16OnEdgeValues() {
        int[][] cases = {
            {0x3F80_0000, 0x3F80},      // 1
            {0x3F80_8000, 0x3F80},      // tie, even below: down
            {0x3F81_8000, 0x3F82},      // tie, odd below: up
            {0x3F80_8001, 0x3F81},      // just past the tie: up
            {0x3F80_7FFF, 0x3F80},      // just short of it: down
            {0xBF81_8000, 0xBF82},      // the sign plays no part
            {0x7F7F_FFFF, 0x7F80},      // the largest float rounds to infinity
            {0x7F7F_7FFF, 0x7F7F},      // the largest BF16 stays
            {0x7F80_0000, 0x7F80},      // +inf
            {0xFF80_0000, 0xFF80},      // -inf
            {0x7F80_0001, 0x7FC0},      // signalling NaN: quiet, payload's upper bits kept (none here)
            {0x7FBF_FFFF, 0x7FFF},      // signalling NaN with a payload
            {0xFFC0_0000, 0xFFC0},      // quiet NaN
            {0x0000_0001, 0x0000},      // the smallest subnormal: zero
            {0x007F_FFFF, 0x0000},      // the largest subnormal: zero, not the smallest normal
            {0x8040_0000, 0x8000},      // negative subnormal: -0
            {0x0080_0000, 0x0080},      // the smallest normal stays
            {0x0080_FFFF, 0x0081},
            {0x8000_0000, 0x8000},      // -0
        };
        for (int[] c : cases) {
            assertEquals((short) c[1], Bf16DotModel.round(Float.intBitsToFloat(c[0])),
                    "round(" + Integer.toHexString(c[0]) + ")");
        }
        requireBf16Dot();
        float[] values = new float[cases.length + 4096];
        for (int i = 0; i < cases.length; i++) {
            values[i] = Float.intBitsToFloat(cases[i][0]);
        }
        Random r = new Random(3);
        for (int i = cases.length; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(r.nextInt());     // every exponent, NaNs and subnormals included
        }
        short[] actual = nativeRound(values);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Bf16DotModel.round(values[i]), actual[i],
                    "native round(" + Integer.toHexString(Float.floatToRawIntBits(values[i])) + ")");
        }
    }

    /**
     * One lane, SDM order: the odd pair first, then the even, each rounded to nearest even. acc 1 (from the chunk
     * before), odd product 2⁻²⁴ (half an ulp of 1: a tie, stays 1), even product 1.5·2⁻²⁴ (past half: 1 + 2⁻²³);
     * even first would give 1 + 2⁻²³ then a tie up to 1 + 2⁻²². Inputs subnormal count as zero (DAZ), a subnormal
     * result is zero (FTZ).
     */
    @Test
    void oneLaneFollowsTheSdm() {
        float one = 1f, half = 0x1p-24f, oneAndHalf = 0x1.8p-24f;
        assertEquals(1f + 0x1p-23f, Bf16DotModel.lane(one, bf(oneAndHalf), bf(half), bf(1f), bf(1f)));
        assertEquals(0f, Bf16DotModel.lane(0f, (short) 0x0001, (short) 0, bf(0x1p100f), (short) 0), "DAZ");
        assertEquals(0f, Bf16DotModel.lane(0f, bf(0x1p-70f), (short) 0, bf(0x1p-70f), (short) 0), "FTZ");
        requireBf16Dot();
        // the same through the kernel: K = 34, chunk 0 lane 0 gives 1, chunk 1 lane 0 the two small products
        float[] xv = new float[34];
        float[] wv = new float[34];
        xv[0] = 1f;
        wv[0] = 1f;
        xv[32] = oneAndHalf;
        wv[32] = 1f;
        xv[33] = half;
        wv[33] = 1f;
        assertEquals(1f + 0x1p-23f, dot(xv, wv), "odd pair first");
        // DAZ: a subnormal BF16 weight times 2^100 (would be about 1.2e-10)
        float[] x2 = new float[32];
        float[] w2 = new float[32];
        x2[0] = 0x1p100f;
        w2[0] = Float.intBitsToFloat(0x0001_0000);
        assertEquals(0f, dot(x2, w2), "DAZ");
        // FTZ: 2^-70 · 2^-70 = 2^-140 is subnormal in F32
        x2[0] = 0x1p-70f;
        w2[0] = 0x1p-70f;
        assertEquals(0f, dot(x2, w2), "FTZ");
    }

    // ---- the kernel against the model ----------------------------------------------------------------------

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (int m = 1; m <= 16; m++) {
            // one chunk; a tail of 18; kjv-tiny's 704; 67 chunks; 31 chunks and a tail of 8
            for (int k : new int[] {32, 50, 704, 32 * 67, 1000}) {
                all.add(Arguments.of(m, k, (m + k) % 2 == 0));
            }
        }
        all.add(Arguments.of(17, 96, true));
        all.add(Arguments.of(41, 4100, false));     // past one panel (32 rows of 4128 BF16 values)
        all.add(Arguments.of(70, 2048, true));      // past one panel of 64 rows
        return all;
    }

    /**
     * N = 13 (3 groups of 4 rows of w and 1), x rows strided, w rows strided from mid-tensor, out a column slice;
     * on 1 and 2 workers, and over uneven column chunks through the kernel directly.
     */
    @ParameterizedTest(name = "M={0} K={1} bias={2}")
    @MethodSource("cases")
    void equalsTheModelBitForBit(int m, int k, boolean withBias) {
        requireBf16Dot();
        Random r = new Random(m * 31L + k);
        int n = 13;
        Tensor x = random(r, DType.F32, m, k + 7).slice(1, 3, k);
        scaleSome(x, r);
        Tensor w = random(r, DType.BF16, n + 2, k + 32).slice(0, 2, n).slice(1, 0, k);
        Tensor bias = withBias ? random(r, DType.BF16, n) : null;
        Tensor outWide = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n + 5);
        Tensor out = outWide.slice(1, 2, n);
        float[] expected = model(x, w, bias);
        Bf16DotTesting.set(MatmulPrecision.BF16);
        for (CpuDevice device : new CpuDevice[] {ONE, TWO}) {
            device.ops().matmul(x, w, bias, out);
            assertBits(expected, out.toFloatArray(), "M=" + m + " K=" + k + " on " + device);
        }
        MatmulKernel kernel = new MatmulKernel();
        kernel.bind(x, w, bias, out);
        assertTrue(kernel.runsBf16Dot(), "M=" + m + ": the BF16-precision route");
        kernel.run(0, 1);
        kernel.run(1, 6);
        kernel.run(6, n);
        kernel.unbind();
        assertBits(expected, out.toFloatArray(), "M=" + m + " K=" + k + " in chunks 0-1, 1-6, 6-13");
        // within rounding of the float64 product of the unrounded x: |error| <= 2^-8 Σ|x w| + 1e-6 (x's rounding,
        // 2^-9 relative, plus the F32 sums)
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < n; c++) {
                double exact = bias == null ? 0 : bias.getFloat(c);
                double abs = 0;
                for (int j = 0; j < k; j++) {
                    exact += (double) x.getFloat(i, j) * w.getFloat(c, j);
                    abs += Math.abs((double) x.getFloat(i, j) * w.getFloat(c, j));
                }
                double bound = 0x1p-8 * abs + 1e-6;
                assertTrue(Math.abs(exact - out.getFloat(i, c)) <= bound,
                        "out[" + i + ", " + c + "] " + out.getFloat(i, c) + " vs float64 " + exact + ", bound " + bound);
            }
            assertEquals(0f, outWide.getFloat(i, 0), "columns outside out untouched");
            assertEquals(0f, outWide.getFloat(i, n + 4), "columns outside out untouched");
        }
    }

    /**
     * A row's bits do not depend on its batch: each row of a 40-row call (two panels at K = 4096) alone, in 3, 8
     * and 16 rows, are the same bits; so a served row equals the same row generated alone, and a prompt's rows equal
     * decode steps.
     */
    @Test
    void aRowsBitsDoNotDependOnItsBatch() {
        requireBf16Dot();
        Random r = new Random(5);
        int m = 40, k = 4096, n = 21;
        Tensor x = random(r, DType.F32, m, k);
        Tensor w = random(r, DType.BF16, n, k);
        Bf16DotTesting.set(MatmulPrecision.BF16);
        Tensor all = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        TWO.ops().matmul(x, w, null, all);
        float[] whole = all.toFloatArray();
        for (int rows : new int[] {1, 3, 8, 16}) {
            Tensor part = Tensor.allocate(Arena.ofAuto(), DType.F32, rows, n);
            for (int from = 0; from + rows <= m; from += rows == 1 ? 1 : 5) {
                TWO.ops().matmul(x.slice(0, from, rows), w, null, part);
                float[] got = part.toFloatArray();
                for (int i = 0; i < rows * n; i++) {
                    assertEquals(Float.floatToRawIntBits(whole[(from + i / n) * n + i % n]), Float.floatToRawIntBits(got[i]),
                            "row " + (from + i / n) + " in a call of " + rows + ", column " + i % n);
                }
            }
        }
    }

    /** Operands on the heap take the scalar loops and give the native kernel's bits. */
    @Test
    void heapOperandsGiveTheSameBits() {
        requireBf16Dot();
        Random r = new Random(11);
        int m = 3, k = 80, n = 6;
        Tensor w = random(r, DType.BF16, n, k);
        float[] values = new float[m * k];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextFloat() * 2 - 1;
        }
        Tensor heapX = Tensor.wrap(MemorySegment.ofArray(values), DType.F32, m, k);
        Tensor nativeX = Tensor.allocate(Arena.ofAuto(), DType.F32, m, k);
        nativeX.base().copyFrom(heapX.base());
        Bf16DotTesting.set(MatmulPrecision.BF16);
        Tensor a = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        Tensor b = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        ONE.ops().matmul(heapX, w, null, a);
        ONE.ops().matmul(nativeX, w, null, b);
        assertBits(a.toFloatArray(), b.toFloatArray(), "heap x vs native x");
        assertBits(model(nativeX, w, null), a.toFloatArray(), "heap x vs the model");
    }

    // ---- routes and the setting ----------------------------------------------------------------------------

    /** BF16 weights take the route under BF16 for every M; F32 and F16 weights never; F32 precision never. */
    @Test
    void routeTaken() {
        requireBf16Dot();
        Random r = new Random(2);
        int k = 64, n = 8;
        for (int m : new int[] {1, 4, 16, 17, 300}) {
            Tensor x = random(r, DType.F32, m, k);
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
            for (DType dtype : new DType[] {DType.BF16, DType.F32, DType.F16}) {
                Tensor w = random(r, dtype, n, k);
                for (MatmulPrecision p : MatmulPrecision.values()) {
                    Bf16DotTesting.set(p);
                    MatmulKernel kernel = new MatmulKernel();
                    kernel.bind(x, w, null, out);
                    assertEquals(dtype == DType.BF16 && p == MatmulPrecision.BF16, kernel.runsBf16Dot(),
                            "M=" + m + " " + dtype + " under " + p);
                    kernel.unbind();
                }
            }
        }
    }

    /** The property: f32 or bf16 in any case, unset is f32; anything else fails naming the property and value. */
    @Test
    void theProperty() {
        assertEquals(MatmulPrecision.F32, MatmulPrecision.parse(null));
        assertEquals(MatmulPrecision.F32, MatmulPrecision.parse("F32"));
        assertEquals(MatmulPrecision.BF16, MatmulPrecision.parse("bf16"));
        assertEquals(MatmulPrecision.BF16, MatmulPrecision.parse("BF16"));
        assertEquals("expected f32 or bf16, found 'fp16'",
                assertThrows(IllegalArgumentException.class, () -> MatmulPrecision.parse("fp16")).getMessage());
        String old = System.getProperty(MatmulPrecision.PROPERTY);
        try {
            System.setProperty(MatmulPrecision.PROPERTY, "half");
            assertEquals("-Dtttv2.matmul.precision: expected f32 or bf16, found 'half'",
                    assertThrows(MatmulPrecision.Unavailable.class, MatmulPrecision::configured).getMessage());
            System.setProperty(MatmulPrecision.PROPERTY, "f32");
            assertEquals(MatmulPrecision.F32, MatmulPrecision.configured());
            if (MatmulPrecision.bf16Limit() == null) {
                System.setProperty(MatmulPrecision.PROPERTY, "bf16");
                assertEquals(MatmulPrecision.BF16, MatmulPrecision.configured());
            }
        } finally {
            if (old == null) {
                System.clearProperty(MatmulPrecision.PROPERTY);
            } else {
                System.setProperty(MatmulPrecision.PROPERTY, old);
            }
        }
        assertEquals(MatmulPrecision.F32, MatmulPrecision.configured());
    }

    /**
     * Asked for bf16 where the native kernels are not bound (here: switched off in a child JVM), a BF16 matmul fails
     * with one line saying why, rather than running F32.
     */
    @Test
    void bf16WithoutTheKernelsFailsInOneLine() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Dtttv2.kernels.native=false", "-Dtttv2.matmul.precision=bf16",
                "-cp", System.getProperty("java.class.path"), Bf16DotUnavailable.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("Unavailable: matmul precision bf16 needs the native kernels on a CPU with "
                + "AVX512_BF16: native kernels not used: -Dtttv2.kernels.native=false"), output);
        assertFalse(output.contains("ran"), output);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** out[M, N] in Java scalars: x rounded, chunks of 32 in order (zero past K), SDM lanes, the tree, + bias. */
    private static float[] model(Tensor x, Tensor w, Tensor bias) {
        int m = x.dim(0), k = x.dim(1), n = w.dim(0);
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < n; c++) {
                float[] acc = new float[16];
                for (int chunk = 0; chunk * 32 < k; chunk++) {
                    for (int l = 0; l < 16; l++) {
                        int e = chunk * 32 + 2 * l;
                        acc[l] = Bf16DotModel.lane(acc[l], xb(x, i, e), xb(x, i, e + 1), xb(w, c, e), xb(w, c, e + 1));
                    }
                }
                float v = Bf16DotModel.hsum16(acc);
                out[i * n + c] = bias == null ? v : v + bias.getFloat(c);
            }
        }
        return out;
    }

    /** t[row, e] rounded to BF16 (exact for BF16 weights), zero past the row's end. */
    private static short xb(Tensor t, int row, int e) {
        return e < t.dim(1) ? Bf16DotModel.round(t.getFloat(row, e)) : 0;
    }

    private static short bf(float v) {
        return Bf16DotModel.round(v);
    }

    /** x · w for one row each, through the BF16 route. */
    private static float dot(float[] xv, float[] wv) {
        Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, xv.length);
        Tensor w = Tensor.allocate(Arena.ofAuto(), DType.BF16, 1, wv.length);
        for (int i = 0; i < xv.length; i++) {
            x.setFloat(xv[i], 0, i);
            w.setFloat(wv[i], 0, i);
        }
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, 1);
        Bf16DotTesting.set(MatmulPrecision.BF16);
        ONE.ops().matmul(x, w, null, out);
        return out.getFloat(0, 0);
    }

    /** values rounded by the native tttv2_bf16dot_round, as one row. */
    private static short[] nativeRound(float[] values) {
        int k = values.length;
        int kp = (k + 31) / 32 * 32;
        MemorySegment in = Arena.ofAuto().allocate(4L * k, 64);
        MemorySegment out = Arena.ofAuto().allocate(2L * kp, 64);
        MemorySegment.copy(values, 0, in, Lanes.F32_LE, 0, k);
        try {
            NativeKernels.BF16DOT_ROUND.invokeExact(in.address(), (long) k, 1L, (long) k, out.address());
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
        short[] result = new short[k];
        MemorySegment.copy(out, Lanes.I16_LE, 0, result, 0, k);
        for (int i = k; i < kp; i++) {
            assertEquals(0, out.get(Lanes.I16_LE, 2L * i), "padding past K is zero");
        }
        return result;
    }

    private static Tensor random(Random r, DType dtype, int... shape) {
        Tensor t = Tensor.allocate(Arena.ofAuto(), dtype, shape);
        if (shape.length == 1) {
            for (int i = 0; i < shape[0]; i++) {
                t.setFloat(r.nextFloat() * 2 - 1, i);
            }
            return t;
        }
        for (int i = 0; i < shape[0]; i++) {
            for (int j = 0; j < shape[1]; j++) {
                t.setFloat(r.nextFloat() * 2 - 1, i, j);
            }
        }
        return t;
    }

    /** Scales one stretch of 32 values per row by 40, 1e-3 or 0, so terms differ in size. */
    private static void scaleSome(Tensor x, Random r) {
        for (int i = 0; i < x.dim(0); i++) {
            int from = r.nextInt(Math.max(1, x.dim(1) - 32));
            float f = switch (r.nextInt(3)) {
                case 0 -> 0f;
                case 1 -> 40f;
                default -> 1e-3f;
            };
            for (int j = from; j < Math.min(x.dim(1), from + 32); j++) {
                x.setFloat(x.getFloat(i, j) * f, i, j);
            }
        }
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                assertEquals(expected[i], actual[i], what + ", element " + i);
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        what + ", element " + i);
            }
        }
    }
}
