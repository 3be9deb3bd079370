package io.tttv2.contrib.flashattention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link FlashKernel} against {@link ReferenceAttention} (float64) on random queries, keys and values in a
 * real paged KV cache (the core CPU device's, blocks of 8 tokens handed out interleaved across sequences,
 * so a sequence's blocks are not consecutive). Tolerance 2e-5 absolute on outputs of magnitude ~1.
 */
class FlashKernelTest {

    private static final double TOLERANCE = 2e-5;
    private static final int BLOCK = 8;
    private static CpuDevice device;

    @BeforeAll
    static void device() {
        device = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        device.close();
    }

    /** One sequence's keys and values, in the cache and as arrays for the reference. */
    private record Sequence(BlockTable table, float[][][] keys, float[][][] values) {
    }

    private static Sequence sequence(PagedKvCache cache, int tokens, int kvHeads, int d, Random random) {
        BlockTable table = cache.newSequence();
        table.reserve(tokens);
        float[][][] k = new float[tokens][kvHeads][d];
        float[][][] v = new float[tokens][kvHeads][d];
        Tensor kt = Tensor.allocate(java.lang.foreign.Arena.ofAuto(), DType.F32, tokens, kvHeads, d);
        Tensor vt = Tensor.allocate(java.lang.foreign.Arena.ofAuto(), DType.F32, tokens, kvHeads, d);
        for (int t = 0; t < tokens; t++) {
            for (int g = 0; g < kvHeads; g++) {
                for (int i = 0; i < d; i++) {
                    k[t][g][i] = (float) random.nextGaussian();
                    v[t][g][i] = (float) random.nextGaussian();
                    kt.setFloat(k[t][g][i], t, g, i);
                    vt.setFloat(v[t][g][i], t, g, i);
                }
            }
        }
        device.ops().writeKv(cache, 0, table, 0, kt, vt);
        table.setLength(tokens);
        return new Sequence(table, k, v);
    }

    private static float[][][] queries(int rows, int heads, int d, Random random) {
        float[][][] q = new float[rows][heads][d];
        for (float[][] row : q) {
            for (float[] head : row) {
                for (int i = 0; i < d; i++) {
                    head[i] = (float) (random.nextGaussian() * 2);
                }
            }
        }
        return q;
    }

    private static Tensor tensor(float[][][] values) {
        Tensor t = Tensor.allocate(java.lang.foreign.Arena.ofAuto(), DType.F32, values.length, values[0].length,
                values[0][0].length);
        for (int a = 0; a < values.length; a++) {
            for (int b = 0; b < values[0].length; b++) {
                for (int c = 0; c < values[0][0].length; c++) {
                    t.setFloat(values[a][b][c], a, b, c);
                }
            }
        }
        return t;
    }

    private static void assertRowMatches(double[][] expected, Tensor out, int row, String what) {
        for (int h = 0; h < expected.length; h++) {
            for (int i = 0; i < expected[h].length; i++) {
                assertEquals(expected[h][i], out.getFloat(row, h, i), TOLERANCE, what + ": row " + row + ", head " + h + ", element " + i);
            }
        }
    }

    /** Prefill of `tokens` tokens from position 0 in chunks of `chunk`, checked row by row. */
    private static void checkPrefill(int heads, int kvHeads, int d, int tokens, int chunk, int window, float softcap, long seed) {
        Random random = new Random(seed);
        float scale = (float) (1 / Math.sqrt(d));
        FlashKernel kernel = new FlashKernel(heads, kvHeads, d, new AttentionParams(scale, true, window, softcap));
        try (PagedKvCache cache = device.allocateKvCache(new KvCacheSpec(1, kvHeads, d, BLOCK, 64, DType.F32))) {
            cache.newSequence().reserve(3 * BLOCK);          // another sequence's blocks first: ours do not start at 0
            Sequence s = sequence(cache, tokens, kvHeads, d, random);
            float[][][] q = queries(tokens, heads, d, random);
            Tensor qt = tensor(q);
            Tensor out = Tensor.allocate(java.lang.foreign.Arena.ofAuto(), DType.F32, tokens, heads, d);
            for (int start = 0; start < tokens; start += chunk) {
                int n = Math.min(chunk, tokens - start);
                kernel.prefill(qt.slice(0, start, n), cache, 0, s.table(), start, out.slice(0, start, n));
            }
            for (int t = 0; t < tokens; t++) {
                assertRowMatches(ReferenceAttention.attend(q[t], s.keys(), s.values(), t, window, scale, softcap), out, t,
                        "prefill");
            }
        }
    }

    @Test
    void gqaPrefillOverManyBlocksAndQueryTilesMatchesTheReference() {
        checkPrefill(4, 2, 16, 45, 45, 0, 0f, 1);
    }

    @Test
    void mhaAndMqaPrefillMatchTheReference() {
        checkPrefill(4, 4, 16, 21, 21, 0, 0f, 2);
        checkPrefill(4, 1, 32, 21, 21, 0, 0f, 3);
    }

    @Test
    void slidingWindowPrefillSeesOnlyTheLastWindowKeys() {
        checkPrefill(4, 2, 16, 40, 40, 5, 0f, 4);
        checkPrefill(4, 2, 16, 40, 40, 11, 0f, 5);     // a window reaching across block boundaries
    }

    @Test
    void softcappedPrefillMatchesTheReference() {
        checkPrefill(4, 2, 16, 30, 30, 0, 1.5f, 6);
    }

    @Test
    void chunkedPrefillMatchesTheReference() {
        checkPrefill(4, 2, 16, 50, 13, 0, 0f, 7);
        checkPrefill(4, 2, 16, 50, 7, 6, 2f, 8);
    }

    @Test
    void batchedDecodeOfSequencesOfDifferentLengthsMatchesTheReference() {
        int heads = 6;
        int kvHeads = 2;
        int d = 8;
        float scale = 0.3f;
        Random random = new Random(9);
        for (int window : new int[] {0, 4}) {
            FlashKernel kernel = new FlashKernel(heads, kvHeads, d, new AttentionParams(scale, true, window, 0f));
            try (PagedKvCache cache = device.allocateKvCache(new KvCacheSpec(1, kvHeads, d, BLOCK, 64, DType.F32))) {
                int[] lengths = {1, 17, 33};
                Sequence[] seqs = new Sequence[lengths.length];
                BlockTable[] tables = new BlockTable[lengths.length];
                int[] positions = new int[lengths.length];
                for (int b = 0; b < lengths.length; b++) {
                    seqs[b] = sequence(cache, lengths[b], kvHeads, d, random);
                    tables[b] = seqs[b].table();
                    positions[b] = lengths[b] - 1;
                }
                float[][][] q = queries(lengths.length, heads, d, random);
                Tensor out = Tensor.allocate(java.lang.foreign.Arena.ofAuto(), DType.F32, lengths.length, heads, d);
                kernel.decode(tensor(q), cache, 0, tables, positions, out);
                for (int b = 0; b < lengths.length; b++) {
                    assertRowMatches(ReferenceAttention.attend(q[b], seqs[b].keys(), seqs[b].values(), positions[b],
                            window, scale, 0), out, b, "decode, window " + window);
                }
            }
        }
    }

    @Test
    void queriesOfTheWrongShapeAreRefusedNamingTheExpectedShape() {
        FlashKernel kernel = new FlashKernel(4, 2, 16, new AttentionParams(0.25f, true, 0, 0f));
        try (PagedKvCache cache = device.allocateKvCache(new KvCacheSpec(1, 2, 16, BLOCK, 4, DType.F32))) {
            Tensor q = Tensor.allocate(java.lang.foreign.Arena.ofAuto(), DType.F32, 2, 4, 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> kernel.prefill(q, cache, 0, cache.newSequence(), 0, q));
            assertEquals("flash attention: q Tensor[2, 4, 8] F32 and out Tensor[2, 4, 8] F32, expected [T, 4, 16] both",
                    e.getMessage());
        }
    }
}
