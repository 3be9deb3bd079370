package io.tttv2.contrib.flashattention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The backend, built by its DS factory, against {@link ReferenceAttention} (float64) on random queries, keys
 * and values in a paged KV cache ({@link TestKvCache}: a sequence's blocks are not consecutive, sequences'
 * blocks interleave, and the backend reads layer 1 of two whose layer 0 holds other values). Each case runs
 * on the caller alone and with worker threads. Tolerance 2e-5 absolute on outputs of magnitude ~1.
 */
class FlashAttentionBackendTest {

    private static final double TOLERANCE = 2e-5;
    private static final int LAYER = 1;
    private static final ModuleConfig CONFIG = new ModuleConfig(4, 8);

    /** One sequence: its block table and every token's key and value as the cache stores them. */
    private record Sequence(BlockTable table, float[][][] keys, float[][][] values) {
    }

    private static AttentionBackend backend(int heads, int kvHeads, int d, AttentionParams params, int workers) {
        return new FlashAttentionBackendFactory().create(new AttentionBackendSpec(heads, kvHeads, d, params), CONFIG,
                new TestDevice(workers));
    }

    private static TestKvCache cache(int kvHeads, int d, int blockSize, DType dtype) {
        return new TestKvCache(KvCacheSpec.forHeads(2, kvHeads, d, blockSize, 64, dtype));
    }

    /**
     * Sequences of the given lengths, grown a token at a time in turn (so their blocks interleave), after a
     * sequence of three blocks that is never read (so none starts at the first block handed out).
     */
    private static Sequence[] sequences(TestKvCache cache, Random random, int... lengths) {
        int kvHeads = cache.spec().kvHeads();
        int d = cache.spec().keyDim();
        cache.newSequence().reserve(3 * cache.spec().blockSize());
        Sequence[] seqs = new Sequence[lengths.length];
        int longest = 0;
        for (int b = 0; b < lengths.length; b++) {
            seqs[b] = new Sequence(cache.newSequence(), new float[lengths[b]][][], new float[lengths[b]][][]);
            longest = Math.max(longest, lengths[b]);
        }
        for (int t = 0; t < longest; t++) {
            for (int b = 0; b < lengths.length; b++) {
                if (t < lengths[b]) {
                    append(cache, seqs[b], t, random, kvHeads, d);
                }
            }
        }
        return seqs;
    }

    /** Writes token t of s (random key and value in layer 1, other random values in layer 0). */
    private static void append(TestKvCache cache, Sequence s, int t, Random random, int kvHeads, int d) {
        s.table().reserve(t + 1);
        cache.write(0, s.table(), t, gaussian(random, 1, kvHeads, d)[0], gaussian(random, 1, kvHeads, d)[0]);
        float[][][] stored = cache.write(LAYER, s.table(), t, gaussian(random, 1, kvHeads, d)[0],
                gaussian(random, 1, kvHeads, d)[0]);
        s.keys()[t] = stored[0];
        s.values()[t] = stored[1];
        s.table().setLength(t + 1);
    }

    /** [rows][heads][d] of N(0, 1). */
    private static float[][][] gaussian(Random random, int rows, int heads, int d) {
        float[][][] x = new float[rows][heads][d];
        for (float[][] row : x) {
            for (float[] head : row) {
                for (int i = 0; i < d; i++) {
                    head[i] = (float) random.nextGaussian();
                }
            }
        }
        return x;
    }

    /** Queries of N(0, 4): with scale 1/√D, scores spread enough that the softmax is far from uniform. */
    private static float[][][] queries(Random random, int rows, int heads, int d) {
        float[][][] q = gaussian(random, rows, heads, d);
        for (float[][] row : q) {
            for (float[] head : row) {
                for (int i = 0; i < d; i++) {
                    head[i] *= 2;
                }
            }
        }
        return q;
    }

    private static Tensor tensor(float[][][] values) {
        Tensor t = Tensor.allocate(Arena.ofAuto(), DType.F32, values.length, values[0].length, values[0][0].length);
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
                assertEquals(expected[h][i], out.getFloat(row, h, i), TOLERANCE,
                        what + ": row " + row + ", head " + h + ", element " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1} heads / {2} kv heads x {3}, {4} tokens in chunks of {5}, window {6}, cap {7}, blocks of {8} {9}, {10} workers")
    @CsvSource({
            "GQA over many blocks and query tiles,   4, 2, 16, 45, 45,  0, 0,   8,  F32, 2",
            "MHA,                                    4, 4, 16, 21, 21,  0, 0,   8,  F32, 3",
            "MQA,                                    4, 1, 32, 21, 21,  0, 0,   8,  F32, 1",
            "sliding window inside a block,          4, 2, 16, 40, 40,  5, 0,   8,  F32, 2",
            "sliding window across blocks,           4, 2, 16, 40, 40, 11, 0,   8,  F32, 3",
            "soft-cap,                               4, 2, 16, 30, 30,  0, 1.5, 8,  F32, 2",
            "chunks starting past 0,                 4, 2, 16, 50, 13,  0, 0,   8,  F32, 2",
            "chunks with window and soft-cap,        6, 2, 16, 50,  7,  6, 2,   8,  F32, 1",
            "blocks larger than the key tile,        4, 2, 16, 100, 37, 0, 0,   80, F32, 2",
            "large blocks and a window across runs,  4, 2, 16, 100, 100, 45, 0, 48, F32, 3",
            "BF16 cache,                             4, 2, 16, 40, 40,  9, 3,   8,  BF16, 2",
            "F16 cache,                              8, 2,  8, 40, 16,  0, 0,   16, F16, 2",
    })
    void causalPrefillMatchesTheReference(String what, int heads, int kvHeads, int d, int tokens, int chunk,
                                          int window, float softcap, int blockSize, DType dtype, int workers) {
        Random random = new Random(what.hashCode());
        float scale = (float) (1 / Math.sqrt(d));
        AttentionBackend backend = backend(heads, kvHeads, d, new AttentionParams(scale, true, window, softcap), workers);
        TestKvCache cache = cache(kvHeads, d, blockSize, dtype);
        Sequence s = sequences(cache, random, tokens)[0];
        float[][][] q = queries(random, tokens, heads, d);
        Tensor qt = tensor(q);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, tokens, heads, d);
        for (int start = 0; start < tokens; start += chunk) {
            int n = Math.min(chunk, tokens - start);
            backend.prefill(qt.slice(0, start, n), cache, LAYER, s.table(), start, out.slice(0, start, n));
        }
        for (int t = 0; t < tokens; t++) {
            assertRowMatches(ReferenceAttention.attend(q[t], s.keys(), s.values(), t, true, t, window, scale, softcap),
                    out, t, what);
        }
    }

    @Test
    void nonCausalPrefillSeesEveryKeyUpToItsLastQuery() {
        Random random = new Random(12);
        AttentionBackend backend = backend(4, 2, 16, new AttentionParams(0.25f, false, 0, 0f), 2);
        TestKvCache cache = cache(2, 16, 8, DType.F32);
        Sequence s = sequences(cache, random, 30)[0];
        float[][][] q = queries(random, 30, 4, 16);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 30, 4, 16);
        backend.prefill(tensor(q), cache, LAYER, s.table(), 0, out);
        for (int t = 0; t < 30; t++) {
            assertRowMatches(ReferenceAttention.attend(q[t], s.keys(), s.values(), t, false, 29, 0, 0.25, 0), out, t,
                    "non-causal");
        }
    }

    @ParameterizedTest(name = "window {0}, cap {1}, {2} workers")
    @CsvSource({"0, 0, 1", "0, 0, 2", "4, 0, 3", "0, 2.5, 2", "9, 1.5, 2"})
    void batchedDecodeOfSequencesOfDifferentLengthsMatchesTheReference(int window, float softcap, int workers) {
        int heads = 6;
        int kvHeads = 2;
        int d = 8;
        float scale = 0.3f;
        Random random = new Random(9L * window + workers);
        AttentionBackend backend = backend(heads, kvHeads, d, new AttentionParams(scale, true, window, softcap), workers);
        TestKvCache cache = cache(kvHeads, d, 8, DType.F32);
        int[] prompts = {1, 17, 33, 8};
        int steps = 3;
        Sequence[] all = sequences(cache, random, prompts[0] + steps, prompts[1] + steps, prompts[2] + steps,
                prompts[3] + steps);
        for (int step = 0; step < steps; step++) {
            // a batch of 4, then 3, then 2: the sequences at the front finish
            int b = prompts.length - step;
            BlockTable[] tables = new BlockTable[b];
            int[] positions = new int[b];
            for (int i = 0; i < b; i++) {
                tables[i] = all[step + i].table();
                positions[i] = prompts[step + i] + step;
            }
            float[][][] q = queries(random, b, heads, d);
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, b, heads, d);
            backend.decode(tensor(q), cache, LAYER, tables, positions, out);
            for (int i = 0; i < b; i++) {
                Sequence s = all[step + i];
                assertRowMatches(ReferenceAttention.attend(q[i], s.keys(), s.values(), positions[i], true, positions[i],
                        window, scale, softcap), out, i, "decode step " + step);
            }
        }
    }

    @Test
    void queriesOfTheWrongShapeAreRefusedNamingTheExpectedShape() {
        AttentionBackend backend = backend(4, 2, 16, new AttentionParams(0.25f, true, 0, 0f), 1);
        TestKvCache cache = cache(2, 16, 8, DType.F32);
        Tensor q = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 4, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.prefill(q, cache, LAYER, cache.newSequence(), 0, q));
        assertEquals("flash attention: q Tensor[2, 4, 8] F32 and out Tensor[2, 4, 8] F32, expected [T, 4, 16] both",
                e.getMessage());
    }

    @Test
    void aCacheOfOtherHeadsIsRefusedNamingBoth() {
        AttentionBackend backend = backend(4, 2, 16, new AttentionParams(0.25f, true, 0, 0f), 1);
        TestKvCache cache = cache(4, 16, 8, DType.F32);
        Tensor q = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, 4, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.decode(q, cache, LAYER, new BlockTable[] {cache.newSequence()}, new int[] {0}, q));
        assertEquals("flash attention: cache of 4 kv heads x keys 16 / values 16, expected 2 x 16 both", e.getMessage());
    }

    @Test
    void aLatentBackendIsRefusedNamingBothWidths() {
        AttentionBackendSpec latent = new AttentionBackendSpec(4, 1, 24, 16, new AttentionParams(0.25f, true, 0, 0f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FlashAttentionBackendFactory().create(latent, ModuleConfig.defaults(), new TestDevice(1)));
        assertEquals("tttv2/attention-backend/flash: keys of 24 and values of 16 elements, expected one width (it does"
                + " not run latent attention)", e.getMessage());
    }

    @Test
    void aWorkersFailureReachesTheCallerAndTheBackendStillWorks() {
        Random random = new Random(5);
        AttentionBackend backend = backend(4, 2, 16, new AttentionParams(0.25f, true, 0, 0f), 3);
        TestKvCache cache = cache(2, 16, 8, DType.F32);
        Sequence[] seqs = sequences(cache, random, 20, 20);
        float[][][] q = queries(random, 2, 4, 16);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 4, 16);
        BlockTable[] tables = {seqs[0].table(), seqs[1].table()};
        // position 40 of sequence 1 lies in a block it does not hold
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> backend.decode(tensor(q), cache, LAYER, tables, new int[] {19, 40}, out));
        assertEquals("test cache: logical block 3 of a sequence holding 3", e.getMessage());

        backend.decode(tensor(q), cache, LAYER, tables, new int[] {19, 19}, out);
        for (int b = 0; b < 2; b++) {
            assertRowMatches(ReferenceAttention.attend(q[b], seqs[b].keys(), seqs[b].values(), 19, true, 19, 0, 0.25, 0),
                    out, b, "after a failure");
        }
    }

    @Test
    void theFactoryNamesTheCandidateAndKeepsSpecAndConfig() {
        AttentionBackendSpec spec = new AttentionBackendSpec(4, 2, 16, new AttentionParams(0.25f, true, 3, 0f));
        AttentionBackend backend = new FlashAttentionBackendFactory().create(spec, CONFIG, new TestDevice(2));
        assertEquals("tttv2/attention-backend/flash", backend.candidate());
        assertSame(spec, backend.spec());
        assertSame(CONFIG, backend.config());
    }
}
