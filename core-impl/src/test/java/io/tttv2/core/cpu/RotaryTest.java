package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RotaryTest {

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (RotaryStyle style : RotaryStyle.values()) {
            for (String layout : new String[] {"contiguous", "elements"}) {
                // {tokens, heads, headDim, rotaryDim}
                for (int[] s : new int[][] {{1, 1, 2, 2}, {3, 2, 8, 8}, {5, 3, 64, 64}, {4, 2, 64, 32},
                        {2, 4, 80, 20}, {7, 3, 34, 34}, {40, 8, 128, 128}}) {
                    for (int workers : new int[] {1, 2}) {
                        all.add(Arguments.of(style, layout, s[0], s[1], s[2], s[3], workers));
                    }
                }
            }
        }
        return all;
    }

    /** HF's tables: inv_freq_i = θ^(−2i/R), cos[p][i] = cos(p·inv_freq_i). */
    static Tensor[] tables(int maxPos, int rotaryDim, DType dtype) {
        int half = rotaryDim / 2;
        Tensor cos = Tensor.allocate(Arena.ofAuto(), dtype, maxPos, half);
        Tensor sin = Tensor.allocate(Arena.ofAuto(), dtype, maxPos, half);
        for (int p = 0; p < maxPos; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * Math.pow(10000, -2.0 * i / rotaryDim);
                cos.setFloat((float) Math.cos(angle), p, i);
                sin.setFloat((float) Math.sin(angle), p, i);
            }
        }
        return new Tensor[] {cos, sin};
    }

    static double[] reference(Tensor x, Tensor cos, Tensor sin, int[] positions, RotaryStyle style) {
        int t = x.dim(0), heads = x.dim(1), d = x.dim(2), half = cos.dim(1);
        double[] out = TestTensors.doubles(x);
        for (int ti = 0; ti < t; ti++) {
            for (int h = 0; h < heads; h++) {
                int base = (ti * heads + h) * d;
                for (int i = 0; i < half; i++) {
                    int ia = style == RotaryStyle.HALF ? i : 2 * i;
                    int ib = style == RotaryStyle.HALF ? i + half : 2 * i + 1;
                    double c = cos.getFloat(positions[ti], i);
                    double s = sin.getFloat(positions[ti], i);
                    double a = x.getFloat(ti, h, ia);
                    double b = x.getFloat(ti, h, ib);
                    out[base + ia] = a * c - b * s;
                    out[base + ib] = b * c + a * s;
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1} T={2} heads={3} D={4} R={5} workers={6}")
    @MethodSource("cases")
    void matchesReference(RotaryStyle style, String layout, int t, int heads, int d, int rotaryDim, int workers) {
        Random r = new Random(t * 100L + heads * 10 + d + rotaryDim);
        Ops ops = device(workers).ops();
        for (DType tableType : new DType[] {DType.F32, DType.BF16}) {
            Tensor[] cs = tables(64, rotaryDim, tableType);
            int[] positions = new int[t];
            for (int i = 0; i < t; i++) {
                positions[i] = r.nextInt(64);
            }
            Tensor x = TestTensors.f32(r, layout, t, heads, d);
            double[] expected = reference(x, cs[0], cs[1], positions, style);
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, t, heads, d);
            ops.rotary(x, cs[0], cs[1], positions, style, out);
            assertClose(expected, out, 1e-6, 1e-6, style + " with " + tableType + " tables");
            ops.rotary(x, cs[0], cs[1], positions, style, x);
            assertClose(expected, x, 1e-6, 1e-6, style + " in place");
        }
    }

    @Test
    void rejectsAPositionBeyondTheTables() {
        Tensor[] cs = tables(8, 4, DType.F32);
        Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, 1, 4);
        assertThrows(IllegalArgumentException.class,
                () -> device(1).ops().rotary(x, cs[0], cs[1], new int[] {8}, RotaryStyle.HALF, x));
    }
}
