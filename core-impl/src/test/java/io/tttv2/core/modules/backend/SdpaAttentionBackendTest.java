package io.tttv2.core.modules.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.testing.Compare;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import io.tttv2.core.modules.testing.TestDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sdpa backend against a float64 softmax(scale · QKᵀ)V over the keys and values read back from the paged
 * cache (so a BF16 cache enters both sides with the same stored values): GQA, MHA, MQA, sliding window,
 * soft-cap, in prefill (from position 0 and continuing a sequence) and batched decode.
 */
class SdpaAttentionBackendTest {

    private static final int LAYER = 1;         // of 2, so the layer index matters
    private static final int BLOCK = 4;         // small blocks: sequences span several

    private final Device device = TestDevices.cpu();

    /** A cache holding {@code lengths[s]} random keys and values for sequence s, and its tables. */
    private record Filled(PagedKvCache cache, BlockTable[] tables) {
    }

    private Filled filled(int kvHeads, int headDim, DType dtype, RandomTensors random, int... lengths) {
        PagedKvCache cache = device.allocateKvCache(KvCacheSpec.forHeads(2, kvHeads, headDim, BLOCK, 64, dtype));
        BlockTable[] tables = new BlockTable[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            tables[s] = cache.newSequence();
            tables[s].reserve(lengths[s]);
            device.ops().writeKv(cache, LAYER, tables[s], 0, random.activation(lengths[s], kvHeads, headDim),
                    random.activation(lengths[s], kvHeads, headDim));
            tables[s].setLength(lengths[s]);
        }
        return new Filled(cache, tables);
    }

    /** The stored keys or values of positions 0 .. count-1 of one sequence: [count, kvHeads, headDim]. */
    private static double[] stored(PagedKvCache cache, Tensor layer, BlockTable table, int count) {
        int kvHeads = cache.spec().kvHeads();
        int d = cache.spec().keyDim();
        double[] out = new double[count * kvHeads * d];
        for (int p = 0; p < count; p++) {
            for (int h = 0; h < kvHeads; h++) {
                for (int i = 0; i < d; i++) {
                    out[(p * kvHeads + h) * d + i] = layer.getFloat(table.block(p / BLOCK), p % BLOCK, h, i);
                }
            }
        }
        return out;
    }

    private static double[] reference(AttentionBackendSpec spec, double[] q, int t, PagedKvCache cache,
                                      BlockTable table, int start) {
        int s = start + t;
        AttentionParams p = spec.params();
        return Reference.attention(q, t, spec.heads(), stored(cache, cache.keys(LAYER), table, s),
                stored(cache, cache.values(LAYER), table, s), s, spec.kvHeads(), spec.headDim(), start, p.scale(),
                p.slidingWindow(), p.softcap());
    }

    private static AttentionBackendSpec spec(int heads, int kvHeads, int window, float softcap, float scale) {
        return new AttentionBackendSpec(heads, kvHeads, 16, new AttentionParams(scale, true, window, softcap));
    }

    /** Prefill of the last {@code t} of {@code length} cached tokens, and a decode of one token per sequence. */
    private void assertMatchesReference(AttentionBackendSpec spec, DType cacheType, long seed) {
        RandomTensors random = new RandomTensors(seed, DType.F32);
        AttentionBackend backend = new SdpaAttentionBackendFactory().create(spec, ModuleConfig.defaults(), device);
        int d = spec.headDim();
        Filled f = filled(spec.kvHeads(), d, cacheType, random, 13, 6);
        String what = spec.params() + " " + cacheType;

        // the whole sequence from 0, then its last 5 tokens continuing it
        for (int start : new int[] {0, 8}) {
            int t = 13 - start;
            Tensor q = random.activation(t, spec.heads(), d);
            Tensor out = RandomTensors.zeros(t, spec.heads(), d);
            backend.prefill(q, f.cache(), LAYER, f.tables()[0], start, out);
            Compare.assertClose(what + " prefill from " + start,
                    reference(spec, Reference.values(q), t, f.cache(), f.tables()[0], start), out);
        }

        // positions 12 and 5: each sequence's last cached token
        int[] positions = {12, 5};
        Tensor q = random.activation(2, spec.heads(), d);
        Tensor out = RandomTensors.zeros(2, spec.heads(), d);
        backend.decode(q, f.cache(), LAYER, f.tables(), positions, out);
        int row = spec.heads() * d;
        for (int b = 0; b < 2; b++) {
            double[] qb = Reference.rows(Reference.values(q), row, b, 1);
            Compare.assertClose(what + " decode row " + b,
                    reference(spec, qb, 1, f.cache(), f.tables()[b], positions[b]), out.slice(0, b, 1));
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void gqaMatchesReference(DType cacheType) {
        assertMatchesReference(spec(4, 2, 0, 0f, 0.25f), cacheType, 1);
    }

    @Test
    void mhaAndMqaMatchReference() {
        assertMatchesReference(spec(3, 3, 0, 0f, 0.25f), DType.F32, 2);
        assertMatchesReference(spec(4, 1, 0, 0f, 0.25f), DType.F32, 3);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void slidingWindowMatchesReference(DType cacheType) {
        AttentionBackendSpec windowed = spec(4, 2, 3, 0f, 0.25f);
        assertMatchesReference(windowed, cacheType, 4);
        // the window changes the result
        RandomTensors random = new RandomTensors(5, DType.F32);
        Filled f = filled(2, 16, DType.F32, random, 10);
        double[] q = Reference.values(random.activation(10, 4, 16));
        double[] with = reference(windowed, q, 10, f.cache(), f.tables()[0], 0);
        double[] without = reference(spec(4, 2, 0, 0f, 0.25f), q, 10, f.cache(), f.tables()[0], 0);
        assertTrue(Compare.pcc(with, without) < 0.999, "window had no effect");
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void softcapMatchesReference(DType cacheType) {
        // a small cap and a large scale so that capping changes the scores
        AttentionBackendSpec capped = spec(4, 2, 0, 2f, 1f);
        assertMatchesReference(capped, cacheType, 6);
        RandomTensors random = new RandomTensors(7, DType.F32);
        Filled f = filled(2, 16, DType.F32, random, 9);
        double[] q = Reference.values(random.activation(9, 4, 16));
        double[] with = reference(capped, q, 9, f.cache(), f.tables()[0], 0);
        double[] without = reference(spec(4, 2, 0, 0f, 1f), q, 9, f.cache(), f.tables()[0], 0);
        assertTrue(Compare.pcc(with, without) < 0.999, "soft-cap had no effect");
    }

    @Test
    void wrongShapesAreNamed() {
        AttentionBackend backend = new SdpaAttentionBackendFactory().create(spec(4, 2, 0, 0f, 0.25f),
                ModuleConfig.defaults(), device);
        Filled f = filled(2, 16, DType.F32, new RandomTensors(8, DType.F32), 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backend.prefill(
                RandomTensors.zeros(4, 2, 16), f.cache(), LAYER, f.tables()[0], 0, RandomTensors.zeros(4, 2, 16)));
        assertTrue(e.getMessage().contains("[4, 2, 16]") && e.getMessage().contains("[rows, 4, 16]"), e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> backend.decode(
                RandomTensors.zeros(2, 4, 16), f.cache(), LAYER, f.tables(), new int[] {3, 3},
                RandomTensors.zeros(2, 4, 16)));
        assertTrue(d.getMessage().contains("2 positions and 1 block tables"), d.getMessage());
        assertEquals(SdpaAttentionBackendFactory.NAME, backend.candidate());
    }
}
