package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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

/**
 * Attention over the paged cache in tiles of {@link AttentionParams#kvTile()} positions (an online softmax) against
 * the float64 reference and against the untiled kernel: tiles smaller than a block, spanning blocks, ragged at the
 * end, with a window and a soft-cap, for every cache dtype; a tile covering every key is the untiled computation.
 */
class TiledAttentionTest {

    private static final int LAYERS = 1;
    private static final int KV_HEADS = 2;
    private static final int BLOCK = 4;
    private static final int LENGTH = 37;

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (DType kvType : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            for (int tile : new int[] {1, 3, 4, 7, 16}) {
                for (int window : new int[] {0, 9}) {
                    all.add(Arguments.of(kvType, tile, window, tile % 2 == 0 ? 0f : 1.5f, tile % 2 + 1));
                }
            }
        }
        return all;
    }

    @ParameterizedTest(name = "kv {0} tile={1} window={2} softcap={3} workers={4}")
    @MethodSource("cases")
    void tiledPrefillAndDecodeMatchTheReferenceAndTheUntiledKernel(DType kvType, int tile, int window, float softcap,
                                                                   int workers) {
        Random r = new Random(tile * 100L + window + kvType.ordinal());
        Ops ops = device(workers).ops();
        int heads = 4;
        int d = 32;
        AttentionParams untiled = new AttentionParams((float) (4 / Math.sqrt(d)), true, window, softcap);
        AttentionParams tiled = untiled.withKvTile(tile);
        try (PagedKvCache cache = device(workers).allocateKvCache(KvCacheSpec.forHeads(LAYERS, KV_HEADS, d, BLOCK, 16, kvType))) {
            AttentionTest.Sequence s = AttentionTest.Sequence.random(r, LENGTH, heads, d, kvType);
            BlockTable t = cache.newSequence();
            t.reserve(LENGTH);
            ops.writeKv(cache, 0, t, 0, s.k(), s.v());
            Tensor outTiled = Tensor.allocate(Arena.ofAuto(), DType.F32, LENGTH, heads, d);
            Tensor outUntiled = Tensor.allocate(Arena.ofAuto(), DType.F32, LENGTH, heads, d);
            ops.attentionPrefill(s.q(), cache, 0, t, 0, tiled, outTiled);
            ops.attentionPrefill(s.q(), cache, 0, t, 0, untiled, outUntiled);
            assertClose(AttentionTest.reference(s.q(), s.storedK(), s.storedV(), 0, untiled), outTiled, 2e-6, 2e-6, "tiled prefill");
            assertClose(TestTensors.doubles(outUntiled), outTiled, 1e-6, 1e-6, "tiled against untiled prefill");

            // decode of the last token, tiled, equals its row of the prefill
            Tensor q = s.q().slice(0, LENGTH - 1, 1);
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, heads, d);
            ops.attentionDecode(q, cache, 0, new BlockTable[] {t}, new int[] {LENGTH - 1}, tiled, out);
            assertClose(TestTensors.doubles(outUntiled.slice(0, LENGTH - 1, 1)), out, 1e-6, 1e-6, "tiled decode");
        }
    }

    @Test
    void aTileCoveringEveryKeyIsTheUntiledComputation() {
        Random r = new Random(5);
        Ops ops = device(2).ops();
        AttentionParams untiled = new AttentionParams(0.3f, true, 0, 0f);
        try (PagedKvCache cache = device(2).allocateKvCache(KvCacheSpec.forHeads(LAYERS, KV_HEADS, 32, BLOCK, 16, DType.F32))) {
            AttentionTest.Sequence s = AttentionTest.Sequence.random(r, LENGTH, 4, 32, DType.F32);
            BlockTable t = cache.newSequence();
            t.reserve(LENGTH);
            ops.writeKv(cache, 0, t, 0, s.k(), s.v());
            Tensor a = Tensor.allocate(Arena.ofAuto(), DType.F32, LENGTH, 4, 32);
            Tensor b = Tensor.allocate(Arena.ofAuto(), DType.F32, LENGTH, 4, 32);
            ops.attentionPrefill(s.q(), cache, 0, t, 0, untiled, a);
            ops.attentionPrefill(s.q(), cache, 0, t, 0, untiled.withKvTile(LENGTH), b);
            // the same operations in the same order; not compared bit for bit only because the vector exp's last bit
            // depends on whether the JIT compiled it between the two calls
            assertArrayEquals(TestTensors.doubles(a), TestTensors.doubles(b), 1e-6);
        }
    }

    @Test
    void tilesAddTheBiasOfTheirOwnKeys() {
        Random r = new Random(6);
        Ops ops = device(1).ops();
        int heads = 4;
        AttentionParams untiled = new AttentionParams(0.3f, true, 0, 0f);
        try (PagedKvCache cache = device(1).allocateKvCache(KvCacheSpec.forHeads(LAYERS, KV_HEADS, 32, BLOCK, 16, DType.F32))) {
            AttentionTest.Sequence s = AttentionTest.Sequence.random(r, LENGTH, heads, 32, DType.F32);
            BlockTable t = cache.newSequence();
            t.reserve(LENGTH);
            ops.writeKv(cache, 0, t, 0, s.k(), s.v());
            Tensor bias = TestTensors.random(r, DType.F32, heads, LENGTH, LENGTH);   // [heads, T, keys]
            Tensor a = Tensor.allocate(Arena.ofAuto(), DType.F32, LENGTH, heads, 32);
            Tensor b = Tensor.allocate(Arena.ofAuto(), DType.F32, LENGTH, heads, 32);
            ops.attentionPrefill(s.q(), cache, 0, t, 0, untiled, bias, a);
            ops.attentionPrefill(s.q(), cache, 0, t, 0, untiled.withKvTile(5), bias, b);
            assertClose(TestTensors.doubles(a), b, 1e-6, 1e-6, "tiled prefill with a bias");
        }
    }
}
