package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static io.tttv2.core.cpu.TestTensors.random;
import static io.tttv2.core.cpu.TestTensors.roundTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Ops;
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

class AttentionTest {

    private static final int LAYERS = 2;
    private static final int LAYER = 1;
    private static final int KV_HEADS = 2;
    private static final int BLOCK = 4;

    /**
     * Attention of queries q [T, H, D] at positions start.. against keys/values [S, KV, D] of one
     * sequence, in float64 over the stored (dtype-rounded) keys and values.
     */
    static double[] reference(Tensor q, float[][][] k, float[][][] v, int start, AttentionParams p) {
        int t = q.dim(0), heads = q.dim(1), d = q.dim(2), kvHeads = k[0].length;
        double[] out = new double[t * heads * d];
        for (int ti = 0; ti < t; ti++) {
            int pos = start + ti;
            int last = p.causal() ? pos : start + t - 1;
            int first = p.slidingWindow() > 0 ? Math.max(0, pos - p.slidingWindow() + 1) : 0;
            for (int h = 0; h < heads; h++) {
                int g = h / (heads / kvHeads);
                double[] s = new double[last - first + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = first; j <= last; j++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += (double) q.getFloat(ti, h, i) * k[j][g][i];
                    }
                    dot *= p.scale();
                    if (p.softcap() > 0) {
                        dot = p.softcap() * Math.tanh(dot / p.softcap());
                    }
                    s[j - first] = dot;
                    max = Math.max(max, dot);
                }
                double sum = 0;
                for (int j = 0; j < s.length; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int i = 0; i < d; i++) {
                    double acc = 0;
                    for (int j = first; j <= last; j++) {
                        acc += s[j - first] * v[j][g][i];
                    }
                    out[(ti * heads + h) * d + i] = acc / sum;
                }
            }
        }
        return out;
    }

    /** One sequence's inputs: k, v [len, KV, D] as tensors and as stored (rounded) values; q [len, H, D]. */
    record Sequence(Tensor k, Tensor v, Tensor q, float[][][] storedK, float[][][] storedV) {

        static Sequence random(Random r, int len, int heads, int d, DType kvType) {
            Tensor k = TestTensors.random(r, DType.F32, len, KV_HEADS, d);
            Tensor v = TestTensors.random(r, DType.F32, len, KV_HEADS, d);
            Tensor q = TestTensors.random(r, DType.F32, len, heads, d);
            return new Sequence(k, v, q, stored(k, kvType), stored(v, kvType));
        }

        private static float[][][] stored(Tensor t, DType dtype) {
            float[][][] out = new float[t.dim(0)][t.dim(1)][t.dim(2)];
            for (int a = 0; a < t.dim(0); a++) {
                for (int b = 0; b < t.dim(1); b++) {
                    for (int c = 0; c < t.dim(2); c++) {
                        out[a][b][c] = roundTo(dtype, t.getFloat(a, b, c));
                    }
                }
            }
            return out;
        }

        int length() {
            return k.dim(0);
        }
    }

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (DType kvType : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            for (int groups : new int[] {1, 2, 4}) {
                for (int window : new int[] {0, 5, 1000}) {
                    for (float softcap : new float[] {0f, 2f}) {
                        int d = groups == 2 ? 65 : 32;
                        all.add(Arguments.of(kvType, groups, d, window, softcap, (window + groups) % 2 + 1));
                    }
                }
            }
        }
        return all;
    }

    /** Two sequences whose blocks alternate in the pool: reserve a block for each in turn. */
    static void reserveInterleaved(BlockTable a, int lenA, BlockTable b, int lenB) {
        for (int p = BLOCK; p < Math.max(lenA, lenB) + BLOCK; p += BLOCK) {
            a.reserve(Math.min(p, lenA));
            b.reserve(Math.min(p, lenB));
        }
    }

    @ParameterizedTest(name = "kv {0} groups={1} D={2} window={3} softcap={4} workers={5}")
    @MethodSource("cases")
    void prefillChunkedPrefillDecodeAndMixedRowsMatchTheReference(DType kvType, int groups, int d, int window, float softcap,
                                                          int workers) {
        Random r = new Random(groups * 1000L + window * 10 + d + (long) softcap);
        Ops ops = device(workers).ops();
        int heads = KV_HEADS * groups;
        AttentionParams params = new AttentionParams((float) (1 / Math.sqrt(d)) * 4, true, window, softcap);
        try (PagedKvCache cache = device(workers).allocateKvCache(KvCacheSpec.forHeads(LAYERS, KV_HEADS, d, BLOCK, 64, kvType))) {
            Sequence a = Sequence.random(r, 23, heads, d, kvType);
            Sequence b = Sequence.random(r, 17, heads, d, kvType);
            BlockTable ta = cache.newSequence();
            BlockTable tb = cache.newSequence();
            reserveInterleaved(ta, a.length(), tb, b.length());
            assertTrue(ta.block(1) != ta.block(0) + 1, "blocks interleaved: " + ta + " " + tb);

            // a: one prefill of the whole sequence
            Tensor outA = Tensor.allocate(Arena.ofAuto(), DType.F32, a.length(), heads, d);
            ops.writeKv(cache, LAYER, ta, 0, a.k(), a.v());
            ops.attentionPrefill(a.q(), cache, LAYER, ta, 0, params, outA);
            double[] expectedA = reference(a.q(), a.storedK(), a.storedV(), 0, params);
            assertClose(expectedA, outA, 2e-6, 2e-6, "prefill");

            // b: a prefill in two chunks (the second starts at position 10)
            Tensor outB = Tensor.allocate(Arena.ofAuto(), DType.F32, b.length(), heads, d);
            for (int[] chunk : new int[][] {{0, 10}, {10, b.length() - 10}}) {
                ops.writeKv(cache, LAYER, tb, chunk[0], b.k().slice(0, chunk[0], chunk[1]), b.v().slice(0, chunk[0], chunk[1]));
                ops.attentionPrefill(b.q().slice(0, chunk[0], chunk[1]), cache, LAYER, tb, chunk[0], params,
                        outB.slice(0, chunk[0], chunk[1]));
            }
            assertClose(reference(b.q(), b.storedK(), b.storedV(), 0, params), outB, 2e-6, 2e-6, "chunked prefill");

            // decode: the last token of each sequence as one batch equals its row of the full prefill
            Tensor q = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, heads, d);
            ops.copy(a.q().select(0, a.length() - 1), q.select(0, 0));
            ops.copy(b.q().select(0, b.length() - 1), q.select(0, 1));
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, heads, d);
            ops.attentionDecode(q, cache, LAYER, new BlockTable[] {ta, tb}, new int[] {a.length() - 1, b.length() - 1},
                    params, out);
            assertClose(TestTensors.doubles(outA.select(0, a.length() - 1)), out.select(0, 0), 1e-6, 1e-6, "decode a");
            assertClose(TestTensors.doubles(outB.select(0, b.length() - 1)), out.select(0, 1), 1e-6, 1e-6, "decode b");

            // a mixed step's rows: a's last token (a decode) and b's second chunk (rows sharing one table), each row
            // at its own position, in one call, equal the rows of the prefills above
            int chunk = b.length() - 10;
            Tensor mixedQ = Tensor.allocate(Arena.ofAuto(), DType.F32, 1 + chunk, heads, d);
            ops.copy(a.q().select(0, a.length() - 1), mixedQ.select(0, 0));
            ops.copy(b.q().slice(0, 10, chunk), mixedQ.slice(0, 1, chunk));
            BlockTable[] rowTables = new BlockTable[1 + chunk];
            int[] rowPositions = new int[1 + chunk];
            rowTables[0] = ta;
            rowPositions[0] = a.length() - 1;
            for (int i = 0; i < chunk; i++) {
                rowTables[1 + i] = tb;
                rowPositions[1 + i] = 10 + i;
            }
            Tensor mixed = Tensor.allocate(Arena.ofAuto(), DType.F32, 1 + chunk, heads, d);
            ops.attentionDecode(mixedQ, cache, LAYER, rowTables, rowPositions, params, mixed);
            assertClose(TestTensors.doubles(outA.select(0, a.length() - 1)), mixed.select(0, 0), 1e-6, 1e-6, "mixed: a's decode");
            assertClose(TestTensors.doubles(outB.slice(0, 10, chunk)), mixed.slice(0, 1, chunk), 1e-6, 1e-6, "mixed: b's chunk");
        }
    }

    @ParameterizedTest(name = "workers={0}")
    @MethodSource("workerCounts")
    void bidirectionalPrefillSeesEveryKey(int workers) {
        Random r = new Random(11);
        Ops ops = device(workers).ops();
        AttentionParams params = new AttentionParams(0.2f, false, 0, 0f);
        try (PagedKvCache cache = device(workers).allocateKvCache(KvCacheSpec.forHeads(LAYERS, KV_HEADS, 48, BLOCK, 16, DType.F32))) {
            Sequence s = Sequence.random(r, 30, 4, 48, DType.F32);
            BlockTable t = cache.newSequence();
            t.reserve(30);
            ops.writeKv(cache, LAYER, t, 0, s.k(), s.v());
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 30, 4, 48);
            ops.attentionPrefill(s.q(), cache, LAYER, t, 0, params, out);
            assertClose(reference(s.q(), s.storedK(), s.storedV(), 0, params), out, 2e-6, 2e-6, "bidirectional");
        }
    }

    static int[] workerCounts() {
        return new int[] {1, 2};
    }

    @Test
    void longDecodeBatchOverManyBlocksInParallel() {
        Random r = new Random(13);
        Ops ops = device(2).ops();
        int heads = 8, d = 32, len = 300;
        AttentionParams params = new AttentionParams((float) (1 / Math.sqrt(d)), true, 0, 0f);
        try (PagedKvCache cache = device(2).allocateKvCache(KvCacheSpec.forHeads(LAYERS, 4, d, 16, 64, DType.BF16))) {
            Tensor q = random(r, DType.F32, 3, heads, d);
            BlockTable[] tables = new BlockTable[3];
            int[] positions = {len - 1, 37, 150};
            for (int b = 0; b < 3; b++) {
                tables[b] = cache.newSequence();
            }
            for (int b = 0; b < 3; b++) {
                int n = positions[b] + 1;
                tables[b].reserve(n);
                Tensor k = random(r, DType.F32, n, 4, d);
                Tensor v = random(r, DType.F32, n, 4, d);
                ops.writeKv(cache, LAYER, tables[b], 0, k, v);
                Tensor out1 = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, heads, d);
                double[] expected = reference(q.slice(0, b, 1), Sequence.stored(k, DType.BF16),
                        Sequence.stored(v, DType.BF16), positions[b], params);
                ops.attentionDecode(q.slice(0, b, 1), cache, LAYER, new BlockTable[] {tables[b]},
                        new int[] {positions[b]}, params, out1);
                assertClose(expected, out1, 2e-6, 2e-6, "decode of sequence " + b);
            }
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 3, heads, d);
            ops.attentionDecode(q, cache, LAYER, tables, positions, params, out);
            for (int b = 0; b < 3; b++) {
                Tensor single = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, heads, d);
                ops.attentionDecode(q.slice(0, b, 1), cache, LAYER, new BlockTable[] {tables[b]},
                        new int[] {positions[b]}, params, single);
                // not bit-equal: interpreted and compiled code sum vector lanes in different orders
                assertClose(TestTensors.doubles(single), out.slice(0, b, 1), 1e-7, 1e-6, "batched = single, sequence " + b);
            }
        }
    }

    @Test
    void writeKvStoresTokensInTheirBlocks() {
        Random r = new Random(17);
        Ops ops = device(1).ops();
        try (PagedKvCache cache = device(1).allocateKvCache(KvCacheSpec.forHeads(LAYERS, KV_HEADS, 8, BLOCK, 8, DType.F16))) {
            BlockTable other = cache.newSequence();
            BlockTable t = cache.newSequence();
            reserveInterleaved(t, 10, other, 10);
            Tensor k = random(r, DType.F32, 10, KV_HEADS, 8);
            Tensor v = random(r, DType.F32, 10, KV_HEADS, 8);
            ops.writeKv(cache, 0, t, 0, k, v);
            for (int p = 0; p < 10; p++) {
                for (int g = 0; g < KV_HEADS; g++) {
                    for (int i = 0; i < 8; i++) {
                        int block = t.block(p / BLOCK);
                        assertEquals(roundTo(DType.F16, k.getFloat(p, g, i)), cache.keys(0).getFloat(block, p % BLOCK, g, i));
                        assertEquals(roundTo(DType.F16, v.getFloat(p, g, i)), cache.values(0).getFloat(block, p % BLOCK, g, i));
                        assertEquals(0f, cache.keys(1).getFloat(block, p % BLOCK, g, i), "layer 1 untouched");
                    }
                }
            }
            for (int blk : other.blocks()) {
                assertEquals(0f, cache.keys(0).getFloat(blk, 0, 0, 0), "other sequence's blocks untouched");
            }
        }
    }

    @Test
    void rejectsWritingBeyondTheReservedRoom() {
        try (PagedKvCache cache = device(1).allocateKvCache(KvCacheSpec.forHeads(1, 1, 4, BLOCK, 4, DType.F32))) {
            BlockTable t = cache.newSequence();
            t.reserve(4);
            Tensor k = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 1, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> device(1).ops().writeKv(cache, 0, t, 3, k, k));
            assertTrue(e.getMessage().contains("room for 5 tokens"), e.getMessage());
        }
    }
}
