package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static io.tttv2.core.cpu.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code Ops.attention} (dense keys and values, padding mask, additive bias) against a float64 reference. */
class DenseAttentionTest {

    /** q [B, Tq, H, D], k, v [B, Tk, KV, D]; mask [B·Tk] or null; bias [H, Tq, Tk] or null. */
    static double[] reference(Tensor q, Tensor k, Tensor v, boolean[] mask, Tensor bias, AttentionParams p) {
        int b = q.dim(0), tq = q.dim(1), heads = q.dim(2), d = q.dim(3), tk = k.dim(1), kvHeads = k.dim(2);
        double[] out = new double[b * tq * heads * d];
        for (int bi = 0; bi < b; bi++) {
            for (int i = 0; i < tq; i++) {
                int pos = i + tk - tq;
                for (int h = 0; h < heads; h++) {
                    int g = h / (heads / kvHeads);
                    double[] s = new double[tk];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < tk; j++) {
                        boolean visible = (mask == null || mask[bi * tk + j]) && (!p.causal() || j <= pos)
                                && (p.slidingWindow() == 0 || pos - j < p.slidingWindow());
                        if (!visible) {
                            s[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double dot = 0;
                        for (int e = 0; e < d; e++) {
                            dot += (double) q.getFloat(bi, i, h, e) * k.getFloat(bi, j, g, e);
                        }
                        dot *= p.scale();
                        if (p.softcap() > 0) {
                            dot = p.softcap() * Math.tanh(dot / p.softcap());
                        }
                        if (bias != null) {
                            dot += bias.getFloat(h, i, j);
                        }
                        s[j] = dot;
                        max = Math.max(max, dot);
                    }
                    if (max == Double.NEGATIVE_INFINITY) {
                        continue;                                   // no key visible: zeros
                    }
                    double sum = 0;
                    for (int j = 0; j < tk; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int e = 0; e < d; e++) {
                        double acc = 0;
                        for (int j = 0; j < tk; j++) {
                            acc += s[j] * v.getFloat(bi, j, g, e);
                        }
                        out[((bi * tq + i) * heads + h) * d + e] = acc / sum;
                    }
                }
            }
        }
        return out;
    }

    record Case(String name, int batch, int tq, int tk, int heads, int kvHeads, int d, boolean mask, boolean bias,
                AttentionParams params) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Arguments> shapes() {
        List<Arguments> cases = new ArrayList<>();
        AttentionParams plain = new AttentionParams(0.25f, false, 0, 0f);
        AttentionParams unscaled = new AttentionParams(1f, false, 0, 0f);
        AttentionParams causal = new AttentionParams(0.25f, true, 0, 0f);
        AttentionParams windowed = new AttentionParams(0.25f, true, 3, 5f);
        for (int workers : new int[] {1, 2}) {
            cases.add(Arguments.of(new Case("bert-like padded", 2, 12, 12, 4, 4, 16, true, false, plain), workers));
            cases.add(Arguments.of(new Case("t5-like bias", 2, 12, 12, 4, 4, 16, true, true, unscaled), workers));
            cases.add(Arguments.of(new Case("cross, fewer queries", 3, 5, 9, 4, 2, 16, true, false, unscaled), workers));
            cases.add(Arguments.of(new Case("causal with bias", 1, 7, 7, 4, 4, 8, false, true, causal), workers));
            cases.add(Arguments.of(new Case("odd head dim, gqa", 2, 6, 6, 6, 2, 13, true, true, plain), workers));
            cases.add(Arguments.of(new Case("window and softcap", 2, 9, 9, 2, 1, 16, false, false, windowed), workers));
            cases.add(Arguments.of(new Case("long", 1, 200, 200, 4, 4, 32, true, true, plain), workers));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}, {1} workers")
    @MethodSource("shapes")
    void matchesReference(Case c, int workers) {
        Random r = new Random(c.name().hashCode());
        Tensor q = random(r, DType.F32, c.batch(), c.tq(), c.heads(), c.d());
        Tensor k = random(r, DType.F32, c.batch(), c.tk(), c.kvHeads(), c.d());
        Tensor v = random(r, DType.F32, c.batch(), c.tk(), c.kvHeads(), c.d());
        boolean[] mask = null;
        if (c.mask()) {
            mask = new boolean[c.batch() * c.tk()];
            for (int b = 0; b < c.batch(); b++) {
                int length = c.tk() - (b * 3) % c.tk();          // sequence b padded by 3b keys
                for (int j = 0; j < length; j++) {
                    mask[b * c.tk() + j] = true;
                }
            }
        }
        Tensor bias = c.bias() ? random(r, DType.F32, c.heads(), c.tq(), c.tk()) : null;
        Tensor out = Tensor.allocate(java.lang.foreign.Arena.ofAuto(), DType.F32, q.shape());
        Ops ops = device(workers).ops();
        ops.attention(q, k, v, mask, bias, c.params(), out);
        assertClose(reference(q, k, v, mask, bias, c.params()), out, 1e-5, 1e-5, c.name());
    }

    @Test
    void readsStridedQueriesAndOutputs() {
        // q and out as column slices of wider rows (one head of a projection buffer), k and v contiguous
        Random r = new Random(7);
        Tensor wideQ = random(r, DType.F32, 2, 5, 6, 8);
        Tensor q = wideQ.slice(2, 1, 4);                                 // [2, 5, 4, 8], strided
        Tensor k = random(r, DType.F32, 2, 5, 2, 8);
        Tensor v = random(r, DType.F32, 2, 5, 2, 8);
        Tensor wideOut = Tensor.allocate(java.lang.foreign.Arena.ofAuto(), DType.F32, 2, 5, 6, 8);
        Tensor out = wideOut.slice(2, 2, 4);
        AttentionParams p = new AttentionParams(0.3f, false, 0, 0f);
        device(2).ops().attention(q, k, v, null, null, p, out);
        assertClose(reference(q, k, v, null, null, p), out, 1e-5, 1e-5, "strided");
        assertEquals(0f, wideOut.getFloat(0, 0, 0, 0), "columns outside the slice stay untouched");
    }

    @Test
    void aQuerySeeingNoKeyGetsZeros() {
        Random r = new Random(3);
        Tensor q = random(r, DType.F32, 1, 2, 1, 4);
        Tensor k = random(r, DType.F32, 1, 3, 1, 4);
        Tensor v = random(r, DType.F32, 1, 3, 1, 4);
        Tensor out = random(r, DType.F32, 1, 2, 1, 4);
        device(1).ops().attention(q, k, v, new boolean[3], null, new AttentionParams(1f, false, 0, 0f), out);
        for (float f : out.toFloatArray()) {
            assertEquals(0f, f);
        }
    }

    @Test
    void refusesMismatchedOperandsInOneLine() {
        Random r = new Random(1);
        Tensor q = random(r, DType.F32, 2, 4, 4, 8);
        Tensor k = random(r, DType.F32, 2, 6, 2, 8);
        Tensor out = Tensor.allocate(java.lang.foreign.Arena.ofAuto(), DType.F32, q.shape());
        AttentionParams p = new AttentionParams(1f, false, 0, 0f);
        Ops ops = device(1).ops();
        IllegalArgumentException mask = assertThrows(IllegalArgumentException.class,
                () -> ops.attention(q, k, k, new boolean[5], null, p, out));
        assertTrue(mask.getMessage().startsWith("attention: keyMask has 5, expected 12 flags"), mask.getMessage());
        Tensor wrongBias = random(r, DType.F32, 4, 4, 4);
        IllegalArgumentException bias = assertThrows(IllegalArgumentException.class,
                () -> ops.attention(q, k, k, null, wrongBias, p, out));
        assertTrue(bias.getMessage().contains("bias") && bias.getMessage().contains("Tk"), bias.getMessage());
        Tensor threeKv = random(r, DType.F32, 2, 6, 3, 8);
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> ops.attention(q, threeKv, threeKv, null, null, p, out));
        assertTrue(heads.getMessage().contains("kv heads dividing"), heads.getMessage());
    }
}
