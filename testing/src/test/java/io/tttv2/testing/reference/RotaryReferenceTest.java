package io.tttv2.testing.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.RotaryStyle;
import java.util.List;
import org.junit.jupiter.api.Test;

class RotaryReferenceTest {

    private static RotarySpec spec(int headDim, int rotaryDim, RotaryStyle style) {
        return new RotarySpec(headDim, rotaryDim, RopeScaling.unscaled(10000), 64, style);
    }

    @Test
    void halfStylePairsElementIWithIPlusHalf() {
        // head dim 4: pairs (0, 2) at inv_freq 1 and (1, 3) at inv_freq 1/100; position 1
        RotaryReference rope = new RotaryReference(spec(4, 4, RotaryStyle.HALF));
        double[] y = rope.decode(new double[] {1, 0, 0, 0}, 1, new int[] {1});
        assertArrayEquals(new double[] {Math.cos(1), 0, Math.sin(1), 0}, y, 1e-7);
        double[] z = rope.decode(new double[] {0, 1, 0, 0}, 1, new int[] {1});
        double angle = (float) (1 * (float) 0.01);
        assertArrayEquals(new double[] {0, Math.cos(angle), 0, Math.sin(angle)}, z, 1e-9);
    }

    @Test
    void interleavedStylePairsNeighbours() {
        RotaryReference rope = new RotaryReference(spec(4, 4, RotaryStyle.INTERLEAVED));
        double[] y = rope.decode(new double[] {1, 0, 0, 0}, 1, new int[] {2});
        assertArrayEquals(new double[] {Math.cos(2), Math.sin(2), 0, 0}, y, 1e-7);
    }

    @Test
    void partialRotaryLeavesTheTailAndPositionZeroIsTheIdentity() {
        RotaryReference rope = new RotaryReference(spec(6, 4, RotaryStyle.HALF));
        double[] x = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(x, rope.prefill(x, 1, 1, 0), 0);
        double[] y = rope.decode(x, 1, new int[] {9});
        assertEquals(5, y[4], 0);
        assertEquals(6, y[5], 0);
    }

    @Test
    void bf16FrequenciesAreRoundedAsHfHoldsThem() {
        // 10000^(-2/4) = 0.01, which bfloat16 holds as 0.010009765625
        RotarySpec bf16 = new RotarySpec(4, 4, RopeScaling.unscaled(10000), 64, RotaryStyle.HALF,
                io.tttv2.api.tensor.DType.BF16);
        double[] y = new RotaryReference(bf16).decode(new double[] {0, 1, 0, 0}, 1, new int[] {100});
        double angle = (float) (100 * 0.010009765625f);
        assertEquals(Math.sin(angle), y[3], 1e-12);
    }

    @Test
    void anUnknownRopeTypeIsRefusedByName() {
        RotarySpec proportional = new RotarySpec(4, 4, new RopeScaling("proportional", 10000, 1, 0, 0, 0, 32, 1,
                Double.NaN, 0, 0), 64, RotaryStyle.HALF);
        var e = assertThrows(IllegalArgumentException.class, () -> new RotaryReference(proportional));
        assertEquals("rotary reference: rope type 'proportional' has no reference, expected one of default, linear,"
                + " dynamic, yarn, llama3, longrope", e.getMessage());
    }

    /** rotary dim 4: two pairs, frequencies 1 / (ext · 10000^0) and 1 / (ext · 10000^(1/2)). */
    private static RotarySpec longrope(double factor, double attentionFactor) {
        return new RotarySpec(4, 4, new RopeScaling("longrope", 10000, factor, 0, 0, 16, 0, 0, attentionFactor, 0, 0,
                List.of(1.0, 2.0), List.of(4.0, 8.0)), 64, RotaryStyle.HALF);
    }

    @Test
    void longropeUsesShortFactorsWithinTheOriginalContextAndLongOnesBeyondAsHfDoes() {
        RotaryReference rope = new RotaryReference(longrope(4, Double.NaN));
        double attention = Math.sqrt(1 + Math.log(4) / Math.log(16));
        // position 15 alone: seq_len 16 = original, short factor 2 for pair 1
        double shortSin = rope.decode(new double[] {0, 1, 0, 0}, 1, new int[] {15})[3];
        assertEquals(Math.sin((float) (15 * (float) (1 / (2.0 * 100)))) * attention, shortSin, 1e-12);
        // position 16 alone: seq_len 17 > original, long factor 8
        double longSin = rope.decode(new double[] {0, 1, 0, 0}, 1, new int[] {16})[3];
        assertEquals(Math.sin((float) (16 * (float) (1 / (8.0 * 100)))) * attention, longSin, 1e-12);
        // position 15 in a forward reaching 16: the whole forward uses the long factors
        double[] x = new double[17 * 4];
        x[15 * 4 + 1] = 1;
        double inForward = rope.prefill(x, 17, 1, 0)[15 * 4 + 3];
        assertEquals(Math.sin((float) (15 * (float) (1 / (8.0 * 100)))) * attention, inForward, 1e-12);
    }

    @Test
    void longropeAttentionFactorIsGivenOrDerivedFromTheFactor() {
        double[] unit = {1, 0, 0, 0};
        assertEquals(1.5 * Math.cos(3 / 1.0f), new RotaryReference(longrope(4, 1.5)).decode(unit, 1, new int[] {3})[0],
                1e-12);
        assertEquals(Math.cos(3 / 1.0f), new RotaryReference(longrope(1, Double.NaN)).decode(unit, 1, new int[] {3})[0],
                1e-12);
    }

    @Test
    void longropeFactorsOfTheWrongLengthAreRefused() {
        RotarySpec wrong = new RotarySpec(4, 4, new RopeScaling("longrope", 10000, 4, 0, 0, 16, 0, 0, Double.NaN, 0, 0,
                List.of(1.0, 2.0, 3.0), List.of(4.0, 8.0)), 64, RotaryStyle.HALF);
        var e = assertThrows(IllegalArgumentException.class, () -> new RotaryReference(wrong));
        assertEquals("rotary reference: longrope short_factor has 3 entries, expected rotary dim / 2 = 2", e.getMessage());
    }

    @Test
    void dynamicNtkRotatesAWholeForwardByItsLongestPositionAsHfDoes() {
        // original context 16: a token at position 20 rotates by seq_len 21 alone, by seq_len 40 in a 40-token forward
        RotarySpec dynamic = new RotarySpec(4, 4, new RopeScaling("dynamic", 10000, 2, 0, 0, 16, 32, 1, Double.NaN, 0, 0),
                64, RotaryStyle.HALF);
        RotaryReference rope = new RotaryReference(dynamic);
        double[] x = new double[40 * 4];
        x[20 * 4 + 1] = 1;                                          // position 20, pair 1 (the scaled frequency)
        double alone = rope.decode(new double[] {0, 1, 0, 0}, 1, new int[] {20})[3];
        double inForward = rope.prefill(x, 40, 1, 0)[20 * 4 + 3];
        double base21 = 10000 * Math.pow(2.0 * 21 / 16 - 1, 4.0 / 2);
        assertEquals(Math.sin((float) (20 * (float) (1 / Math.sqrt(base21)))), alone, 1e-12);
        double base40 = 10000 * Math.pow(2.0 * 40 / 16 - 1, 4.0 / 2);
        assertEquals(Math.sin((float) (20 * (float) (1 / Math.sqrt(base40)))), inForward, 1e-12);
    }
}
