package io.tttv2.core.modules.rotary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.testing.Compare;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import io.tttv2.core.modules.testing.RopeReference;
import io.tttv2.core.modules.testing.TestDevices;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The cos/sin tables of every rope type against HF's formulas in float64, and applying them. */
class RotaryEmbeddingTest {

    private final Device device = TestDevices.cpu();

    private static RopeScaling scaling(String type, double theta, double factor, double low, double high, int original) {
        return new RopeScaling(type, theta, factor, low, high, original, 32, 1, Double.NaN, 0, 0);
    }

    private RotaryEmbedding rope(RopeScaling s, int headDim, int rotaryDim, int positions) {
        return new RotaryEmbedding(new RotarySpec(headDim, rotaryDim, s, positions, RotaryStyle.HALF),
                io.tttv2.api.modules.ModuleConfig.defaults(), device);
    }

    /**
     * Every row p of the tables equals cos/sin(p · invFreq(p)) · attention: within 1e-6 plus the float32
     * rounding of the angle HF computes (a few ulps of p · inv_freq).
     */
    private static void assertTables(RotaryEmbedding rope, IntFunction<double[]> invFreq, double attention) {
        Tensor cos = rope.cos();
        Tensor sin = rope.sin();
        float[] c = cos.toFloatArray();
        float[] s = sin.toFloatArray();
        int half = cos.dim(1);
        for (int p = 0; p < cos.dim(0); p++) {
            double[] inv = invFreq.apply(p);
            assertEquals(half, inv.length);
            for (int i = 0; i < half; i++) {
                double angle = p * inv[i];
                double tol = 1e-6 + 2e-6 * angle;
                double ec = Math.cos(angle) * attention;
                double es = Math.sin(angle) * attention;
                int at = p * half + i;
                if (Math.abs(c[at] - ec) > tol || Math.abs(s[at] - es) > tol) {
                    throw new AssertionError("position " + p + ", frequency " + i + ": cos " + c[at] + " sin " + s[at]
                            + ", expected " + ec + " and " + es + " within " + tol);
                }
            }
        }
    }

    @Test
    void defaultTablesMatchHf() {
        RotaryEmbedding rope = rope(RopeScaling.unscaled(10000), 64, 64, 2048);
        assertArrayEquals(new int[] {2048, 32}, rope.cos().shape());
        assertEquals(DType.F32, rope.cos().dtype());
        assertTables(rope, p -> RopeReference.defaults(10000, 64), 1);
    }

    @Test
    void linearTablesDivideFrequenciesByFactor() {
        RotaryEmbedding rope = rope(scaling("linear", 10000, 4, 0, 0, 0), 32, 32, 1024);
        assertTables(rope, p -> RopeReference.linear(10000, 32, 4), 1);
        // position 4p of the linear table is position p of the unscaled one
        RotaryEmbedding plain = rope(RopeScaling.unscaled(10000), 32, 32, 1024);
        assertEquals(plain.cos().getFloat(10, 3), rope.cos().getFloat(40, 3), 2e-6);
    }

    @Test
    void llama3TablesMatchHfWithFactor8Low1High4Original8192() {
        RotaryEmbedding rope = rope(scaling("llama3", 500000, 8, 1, 4, 8192), 128, 128, 16384);
        double[] inv = RopeReference.llama3(500000, 128, 8, 1, 4, 8192);
        assertTables(rope, p -> inv, 1);
        // the three bands are all present: kept, smoothed and divided
        double[] plain = RopeReference.defaults(500000, 128);
        int kept = 0;
        int divided = 0;
        int smoothed = 0;
        for (int i = 0; i < inv.length; i++) {
            double ratio = plain[i] / inv[i];
            if (Math.abs(ratio - 1) < 1e-12) {
                kept++;
            } else if (Math.abs(ratio - 8) < 1e-9) {
                divided++;
            } else {
                smoothed++;
            }
        }
        assertTrue(kept > 0 && divided > 0 && smoothed > 0, kept + " kept, " + smoothed + " smoothed, " + divided + " divided");
    }

    @Test
    void dynamicTablesRescaleBeyondTheOriginalLength() {
        int original = 64;
        RotaryEmbedding rope = rope(scaling("dynamic", 10000, 2, 0, 0, original), 32, 32, 256);
        assertTables(rope, p -> RopeReference.dynamic(10000, 32, 2, original, p + 1), 1);
        // within the original length the table is the default one; beyond it, it is not
        RotaryEmbedding plain = rope(RopeScaling.unscaled(10000), 32, 32, 256);
        assertEquals(plain.cos().getFloat(63, 5), rope.cos().getFloat(63, 5), 0f);
        assertTrue(Math.abs(plain.cos().getFloat(200, 5) - rope.cos().getFloat(200, 5)) > 1e-3);
    }

    @Test
    void yarnTablesMatchHfWithFactor4() {
        RotaryEmbedding rope = rope(scaling("yarn", 10000, 4, 0, 0, 64), 32, 32, 256);
        double[] inv = RopeReference.yarn(10000, 32, 4, 64, 32, 1);
        double attention = RopeReference.yarnAttention(4, 0, 0);
        assertEquals(0.1 * Math.log(4) + 1, attention, 1e-15);
        assertTables(rope, p -> inv, attention);
    }

    @Test
    void yarnUsesTheMscaleRatioOrAnExplicitAttentionFactor() {
        RopeScaling deepseek = new RopeScaling("yarn", 10000, 40, 0, 0, 4096, 32, 1, Double.NaN, 1.0, 0.8);
        RotaryEmbedding rope = rope(deepseek, 64, 64, 512);
        double attention = RopeReference.yarnAttention(40, 1.0, 0.8);
        assertTrue(Math.abs(attention - (0.1 * Math.log(40) + 1)) > 1e-3);
        double[] inv = RopeReference.yarn(10000, 64, 40, 4096, 32, 1);
        assertTables(rope, p -> inv, attention);

        RopeScaling explicit = new RopeScaling("yarn", 10000, 4, 0, 0, 64, 32, 1, 1.5, 0, 0);
        assertTables(rope(explicit, 32, 32, 128), p -> RopeReference.yarn(10000, 32, 4, 64, 32, 1), 1.5);
    }

    @Test
    void partialRotaryTablesCoverOnlyTheRotaryDim() {
        RotaryEmbedding rope = rope(RopeScaling.unscaled(10000), 64, 16, 128);
        assertArrayEquals(new int[] {128, 8}, rope.cos().shape());
        // HF: dim = int(head_dim * partial_rotary_factor) is the exponent's denominator
        assertTables(rope, p -> RopeReference.defaults(10000, 16), 1);
    }

    @Test
    void prefillAndDecodeRotateLikeHf() {
        int heads = 3;
        int headDim = 16;
        int rotaryDim = 8;      // partial: the last 8 elements of each head pass through
        RotaryEmbedding rope = rope(RopeScaling.unscaled(10000), headDim, rotaryDim, 64);
        RandomTensors random = new RandomTensors(1, DType.F32);
        Tensor x = random.activation(5, heads, headDim);
        double[] xv = Reference.values(x);
        double[] inv = RopeReference.defaults(10000, rotaryDim);

        Tensor out = RandomTensors.zeros(5, heads, headDim);
        rope.prefill(x, 7, out);
        double[] expected = Reference.rope(xv, 5, heads, headDim, new int[] {7, 8, 9, 10, 11}, inv, 1);
        Compare.assertClose("prefill rope", expected, out);

        int[] positions = {3, 40, 0, 63, 12};
        rope.decode(x, positions, out);
        Compare.assertClose("decode rope", Reference.rope(xv, 5, heads, headDim, positions, inv, 1), out);

        rope.prefill(x, 7, x);      // out may be x
        Compare.assertClose("in-place rope", expected, x);
    }

    @Test
    void rowsAreComputedAsPositionsAreReachedAndRotateLikeHfBeyondTheFirstRows() {
        int heads = 2;
        int headDim = 16;
        int positions = 3 * RotaryEmbedding.MIN_ROWS;
        RopeScaling llama3 = scaling("llama3", 500000, 8, 1, 4, 8192);
        RotaryEmbedding rope = rope(llama3, headDim, headDim, positions);
        assertEquals(0, rope.computedRows(), "nothing is computed at construction");
        RandomTensors random = new RandomTensors(3, DType.F32);
        Tensor x = random.activation(4, heads, headDim);
        Tensor out = RandomTensors.zeros(4, heads, headDim);

        rope.prefill(x, 0, out);
        assertEquals(RotaryEmbedding.MIN_ROWS, rope.computedRows(), "a short prompt computes the first rows only");

        // a decode step past the computed rows extends them (doubling) before the kernel reads the rows
        int[] far = {5, RotaryEmbedding.MIN_ROWS + 100, 2 * RotaryEmbedding.MIN_ROWS + 7, 1};
        rope.decode(x, far, out);
        assertEquals(2 * RotaryEmbedding.MIN_ROWS + 8, rope.computedRows(), "up to the farthest position reached");
        // the same rotation as with tables computed whole (their values against HF: assertTables above)
        RotaryEmbedding whole = rope(llama3, headDim, headDim, positions);
        whole.cos();
        Tensor expected = RandomTensors.zeros(4, heads, headDim);
        whole.decode(x, far, expected);
        assertArrayEquals(expected.toFloatArray(), out.toFloatArray());
        rope.cos();
        assertEquals(positions, rope.computedRows(), "asking for the table completes it");
    }

    @Test
    void tablesExtendedInStepsEqualTablesComputedAtOnce() {
        RopeScaling dynamic = scaling("dynamic", 10000, 2, 0, 0, 1000);
        RotaryEmbedding stepped = rope(dynamic, 32, 32, 2 * RotaryEmbedding.MIN_ROWS + 3);
        Tensor x = new RandomTensors(4, DType.F32).activation(1, 1, 32);
        Tensor out = RandomTensors.zeros(1, 1, 32);
        stepped.prefill(x, 10, out);
        stepped.decode(x, new int[] {RotaryEmbedding.MIN_ROWS + 1}, out);
        stepped.decode(x, new int[] {2 * RotaryEmbedding.MIN_ROWS + 2}, out);
        RotaryEmbedding whole = rope(dynamic, 32, 32, 2 * RotaryEmbedding.MIN_ROWS + 3);
        // cos() completes the tables: every row, bit for bit, whatever order the rows were reached in
        assertArrayEquals(whole.cos().toFloatArray(), stepped.cos().toFloatArray());
        assertArrayEquals(whole.sin().toFloatArray(), stepped.sin().toFloatArray());
        assertEquals(2 * RotaryEmbedding.MIN_ROWS + 3, stepped.computedRows());
    }

    @Test
    void interleavedStyleRotatesAdjacentPairs() {
        RotaryEmbedding rope = new RotaryEmbedding(new RotarySpec(16, 16, RopeScaling.unscaled(10000), 64,
                RotaryStyle.INTERLEAVED), io.tttv2.api.modules.ModuleConfig.defaults(), device);
        Tensor x = new RandomTensors(2, DType.F32).activation(4, 2, 16);
        Tensor out = RandomTensors.zeros(4, 2, 16);
        rope.prefill(x, 3, out);
        Compare.assertClose("interleaved rope", Reference.ropeInterleaved(Reference.values(x), 4, 2, 16,
                new int[] {3, 4, 5, 6}, RopeReference.defaults(10000, 16)), out);
    }

    @Test
    void unsupportedRopeTypesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rope(scaling("proportional", 10000, 4, 0, 0, 64), 32, 32, 64));
        assertTrue(e.getMessage().contains("proportional") && e.getMessage().contains("longrope"), e.getMessage());
    }

    /** Phi-3-like factors for rotary dim 16: short ones near 1, long ones growing with the pair index. */
    private static final List<Double> SHORT = List.of(1.0, 1.01, 1.02, 1.05, 1.1, 1.2, 1.3, 1.5);
    private static final List<Double> LONG = List.of(1.0, 1.25, 1.9, 3.1, 5.5, 9.0, 16.0, 31.5);

    private static RopeScaling longrope(double factor, double attentionFactor, int original, List<Double> shortFactor,
                                        List<Double> longFactor) {
        return new RopeScaling("longrope", 10000, factor, 0, 0, original, 0, 0, attentionFactor, 0, 0, shortFactor,
                longFactor);
    }

    /** HF's formula, written out here: 1 / (ext[i] · theta^(2i/dim)), ext short below the original length. */
    private static double[] longropeInvFreq(int position, int original, int dim) {
        List<Double> ext = position < original ? SHORT : LONG;
        double[] inv = new double[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1 / (ext.get(i) * Math.pow(10000, 2.0 * i / dim));
        }
        return inv;
    }

    @Test
    void longropeUsesShortFactorsBelowTheOriginalLengthAndLongOnesFromIt() {
        int original = 32;
        // the caller passes factor = max_position_embeddings / original_max_position_embeddings = 128 / 32
        RotaryEmbedding rope = rope(longrope(4, Double.NaN, original, SHORT, LONG), 16, 16, 128);
        double attention = Math.sqrt(1 + Math.log(4) / Math.log(original));
        assertTables(rope, p -> longropeInvFreq(p, original, 16), attention);
        // across the boundary: row 31 is short, row 32 long (pair 3: factors 1.05 and 3.1)
        int pair = 3;
        double shortAngle = 31 / (SHORT.get(pair) * Math.pow(10000, 6.0 / 16));
        double longAngle = 32 / (LONG.get(pair) * Math.pow(10000, 6.0 / 16));
        assertEquals(Math.cos(shortAngle) * attention, rope.cos().getFloat(31, pair), 1e-6);
        assertEquals(Math.cos(longAngle) * attention, rope.cos().getFloat(32, pair), 1e-6);
        // a short-factor table would have continued smoothly: the long row differs from it
        double shortAt32 = Math.cos(32 / (SHORT.get(pair) * Math.pow(10000, 6.0 / 16))) * attention;
        assertTrue(Math.abs(shortAt32 - rope.cos().getFloat(32, pair)) > 0.1, "row 32 uses the long factors");
    }

    /** float32, then bfloat16 round to nearest even, as torch casts HF's buffer with a BF16 checkpoint. */
    private static double bf16(double value) {
        int bits = Float.floatToRawIntBits((float) value);
        int upper = bits >>> 16;
        int lower = bits & 0xFFFF;
        if (lower > 0x8000 || (lower == 0x8000 && (upper & 1) == 1)) {
            upper++;
        }
        return Float.intBitsToFloat(upper << 16);
    }

    @Test
    void longropeFrequenciesAreHeldInTheSpecsDtype() {
        RotaryEmbedding rope = new RotaryEmbedding(new RotarySpec(16, 16, longrope(4, Double.NaN, 32, SHORT, LONG), 64,
                RotaryStyle.HALF, DType.BF16), io.tttv2.api.modules.ModuleConfig.defaults(), device);
        double attention = Math.sqrt(1 + Math.log(4) / Math.log(32));
        assertTables(rope, p -> {
            double[] inv = longropeInvFreq(p, 32, 16);
            for (int i = 0; i < inv.length; i++) {
                inv[i] = bf16(inv[i]);
            }
            return inv;
        }, attention);
        // and BF16 rounding is visible: the F32 table differs at a late position
        RotaryEmbedding f32 = rope(longrope(4, Double.NaN, 32, SHORT, LONG), 16, 16, 64);
        assertTrue(Math.abs(f32.sin().getFloat(63, 1) - rope.sin().getFloat(63, 1)) > 1e-4);
    }

    @Test
    void longropeTakesAGivenAttentionFactorAndNoneWithoutScaling() {
        assertTables(rope(longrope(4, 1.25, 32, SHORT, LONG), 16, 16, 64), p -> longropeInvFreq(p, 32, 16), 1.25);
        assertTables(rope(longrope(1, Double.NaN, 32, SHORT, LONG), 16, 16, 64), p -> longropeInvFreq(p, 32, 16), 1);
    }

    @Test
    void longropeFactorsOfTheWrongLengthAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rope(longrope(4, Double.NaN, 32, SHORT.subList(0, 6), LONG), 16, 16, 64));
        assertTrue(e.getMessage().contains("short_factor") && e.getMessage().contains("6")
                && e.getMessage().contains("8"), e.getMessage());
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
                () -> rope(longrope(4, Double.NaN, 32, SHORT, LONG), 20, 20, 64));
        assertTrue(l.getMessage().contains("8") && l.getMessage().contains("10"), l.getMessage());
    }
}
