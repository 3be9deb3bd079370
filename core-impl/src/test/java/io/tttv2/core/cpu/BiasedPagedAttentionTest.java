package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static io.tttv2.core.cpu.TestTensors.random;
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
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code Ops.attentionPrefill} with an additive score bias (T5's decoder) over the paged cache, against the
 * dense float64 reference of {@link DenseAttentionTest} on the same keys and values: a prefill from 0, a
 * continued prefill from a later start, and a single token (a decode step), with a block size that splits
 * the keys over several blocks.
 */
class BiasedPagedAttentionTest {

    @ParameterizedTest(name = "start {0}, {1} tokens, {2} workers")
    @CsvSource({"0, 9, 1", "0, 9, 2", "6, 5, 2", "10, 1, 1", "10, 1, 2", "0, 70, 2"})
    void matchesTheDenseReference(int start, int tokens, int workers) {
        int heads = 4;
        int kvHeads = 2;
        int d = 16;
        int keys = start + tokens;
        Random r = new Random(start * 100 + tokens);
        Tensor k = random(r, DType.F32, 1, keys, kvHeads, d);
        Tensor v = random(r, DType.F32, 1, keys, kvHeads, d);
        Tensor q = random(r, DType.F32, tokens, heads, d);
        Tensor bias = random(r, DType.F32, heads, tokens, keys);
        AttentionParams params = new AttentionParams(1f, true, 0, 0f);
        Ops ops = device(workers).ops();
        try (PagedKvCache cache = device(workers).allocateKvCache(KvCacheSpec.forHeads(1, kvHeads, d, 4, 32, DType.F32))) {
            BlockTable table = cache.newSequence();
            table.reserve(keys);
            ops.writeKv(cache, 0, table, 0, k.select(0, 0), v.select(0, 0));
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, tokens, heads, d);
            ops.attentionPrefill(q, cache, 0, table, start, params, bias, out);
            double[] expected = DenseAttentionTest.reference(q.reshape(1, tokens, heads, d), k, v, null, bias, params);
            assertClose(expected, out, 1e-5, 1e-5, "biased prefill from " + start);
        }
    }

    @ParameterizedTest
    @CsvSource({"4, 3, 4", "4, 2, 3", "2, 2, 4"})
    void refusesABiasOfTheWrongShape(int heads, int tokens, int keys) {
        Random r = new Random(1);
        try (PagedKvCache cache = device(1).allocateKvCache(KvCacheSpec.forHeads(1, 2, 8, 4, 8, DType.F32))) {
            BlockTable table = cache.newSequence();
            table.reserve(4);
            Tensor q = random(r, DType.F32, 2, 4, 8);
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 4, 8);
            Tensor bias = random(r, DType.F32, heads, tokens, keys);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> device(1).ops()
                    .attentionPrefill(q, cache, 0, table, 2, new AttentionParams(1f, true, 0, 0f), bias, out));
            assertTrue(e.getMessage().startsWith("attentionPrefill: bias has shape"), e.getMessage());
        }
    }
}
