package io.tttv2.core.modules.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.modules.AttentionSpec.QkNorm;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.testing.Compare;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import io.tttv2.core.modules.testing.Sequences;
import io.tttv2.core.modules.testing.TestDevices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Grouped-query attention against a float64 reference, in prefill, chunked prefill and (batched) decode. */
class GroupedQueryAttentionTest {

    private static final int LAYER = 1;     // of 2, so the cache layer index matters

    private final Device device = TestDevices.cpu();

    /** Runs a whole-sequence prefill of x [t, hidden] at positions 0 .. t-1 and returns the output. */
    private Tensor prefill(AttentionCase c, ModuleConfig config, Tensor x) {
        GroupedQueryAttention attention = c.build(device, config, LAYER);
        Sequences seqs = new Sequences(device, 2, c.spec.kvHeads(), c.spec.headDim());
        BlockTable table = seqs.newSequence();
        int t = x.dim(0);
        Tensor out = RandomTensors.zeros(t, c.spec.hidden());
        attention.prefill(x, seqs.prefill(table, 0, t), out);
        return out;
    }

    private void assertMatchesReference(AttentionCase c, DType dtype, int t) {
        Tensor x = c.random.activation(t, c.spec.hidden());
        Tensor out = prefill(c, ModuleConfig.defaults(), x);
        Compare.assertClose("attention prefill " + dtype, c.reference(Reference.values(x), t), out);
    }

    /** The module's knobs change how it runs, not what: unfused q/k/v, tiny KV tiles, both, against float64. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"true, 0", "false, 0", "true, 3", "false, 5"})
    void fusedOrSeparateProjectionsAndAnyKvTileMatchTheReference(boolean fused, int kvTile) {
        AttentionCase c = new AttentionCase(AttentionCase.with(AttentionCase.llama(), true, AttentionSpec.QkNorm.NONE,
                null, 0, 0f), 16, DType.BF16, 41);
        Tensor x = c.random.activation(23, c.spec.hidden());
        ModuleConfig config = ModuleConfig.defaults().withFusedProjections(fused).withKvTile(kvTile);
        Compare.assertClose("fused " + fused + ", kvTile " + kvTile, c.reference(Reference.values(x), 23),
                prefill(c, config, x));
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void gqaPrefillMatchesReference(DType dtype) {
        assertMatchesReference(new AttentionCase(AttentionCase.llama(), 16, dtype, 1), dtype, 11);
    }

    @Test
    void mhaAndMqaMatchReference() {
        assertMatchesReference(new AttentionCase(AttentionSpec.of(48, 3, 3, 16), 16, DType.F32, 2), DType.F32, 9);
        assertMatchesReference(new AttentionCase(AttentionSpec.of(64, 4, 1, 16), 16, DType.F32, 3), DType.F32, 9);
    }

    @Test
    void partialRotaryMatchesReference() {
        assertMatchesReference(new AttentionCase(AttentionCase.llama(), 4, DType.F32, 4), DType.F32, 10);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void prefillThenDecodeEqualsLongerPrefill(DType dtype) {
        AttentionCase c = new AttentionCase(AttentionCase.llama(), 16, dtype, 5);
        int n = 9;
        Tensor x = c.random.activation(n + 1, c.spec.hidden());
        GroupedQueryAttention attention = c.build(device, ModuleConfig.defaults(), LAYER);
        Sequences seqs = new Sequences(device, 2, c.spec.kvHeads(), c.spec.headDim());
        BlockTable table = seqs.newSequence();
        attention.prefill(x.slice(0, 0, n), seqs.prefill(table, 0, n), RandomTensors.zeros(n, c.spec.hidden()));
        Sequences.done(table, n);
        DecodeStep step = seqs.decode(table);
        Tensor decoded = RandomTensors.zeros(1, c.spec.hidden());
        attention.decode(x.slice(0, n, 1), step, decoded);

        Tensor full = prefill(c, ModuleConfig.defaults(), x);
        Compare.assertClose("decode vs prefill", full.slice(0, n, 1), decoded, Compare.PCC_F32);
        double[] reference = c.reference(Reference.values(x), n + 1);
        Compare.assertClose("decode vs reference", Reference.rows(reference, c.spec.hidden(), n, 1), decoded);
    }

    @Test
    void chunkedPrefillEqualsOneShotPrefill() {
        AttentionCase c = new AttentionCase(AttentionCase.llama(), 16, DType.F32, 6);
        Tensor x = c.random.activation(11, c.spec.hidden());
        Tensor oneShot = prefill(c, ModuleConfig.defaults(), x);
        Tensor chunked = prefill(c, new ModuleConfig(2, 4), x);      // chunks of 4, 4, 3
        Compare.assertClose("chunked vs one-shot", oneShot, chunked, Compare.PCC_F32);
        Compare.assertClose("chunked vs reference", c.reference(Reference.values(x), 11), chunked);
    }

    @Test
    void prefillContinuingASequenceEqualsOneShotPrefill() {
        AttentionCase c = new AttentionCase(AttentionCase.llama(), 16, DType.F32, 7);
        Tensor x = c.random.activation(10, c.spec.hidden());
        GroupedQueryAttention attention = c.build(device, ModuleConfig.defaults(), LAYER);
        Sequences seqs = new Sequences(device, 2, c.spec.kvHeads(), c.spec.headDim());
        BlockTable table = seqs.newSequence();
        Tensor out = RandomTensors.zeros(10, c.spec.hidden());
        attention.prefill(x.slice(0, 0, 6), seqs.prefill(table, 0, 6), out.slice(0, 0, 6));
        Sequences.done(table, 6);
        attention.prefill(x.slice(0, 6, 4), seqs.prefill(table, 6, 4), out.slice(0, 6, 4));
        Compare.assertClose("two prefills vs reference", c.reference(Reference.values(x), 10), out);
    }

    @Test
    void twoSequencesDecodedInOneBatchEqualEachDecodedAlone() {
        AttentionCase c = new AttentionCase(AttentionCase.llama(), 16, DType.F32, 8);
        int hidden = c.spec.hidden();
        Tensor a = c.random.activation(8, hidden);     // 7 prompt tokens + 1 decoded
        Tensor b = c.random.activation(5, hidden);     // 4 + 1
        GroupedQueryAttention attention = c.build(device, ModuleConfig.defaults(), LAYER);

        Sequences batched = new Sequences(device, 2, c.spec.kvHeads(), c.spec.headDim());
        BlockTable ba = batched.newSequence();
        BlockTable bb = batched.newSequence();
        Sequences alone = new Sequences(device, 2, c.spec.kvHeads(), c.spec.headDim());
        BlockTable aa = alone.newSequence();
        BlockTable ab = alone.newSequence();
        for (Sequences s : new Sequences[] {batched, alone}) {
            BlockTable ta = s == batched ? ba : aa;
            BlockTable tb = s == batched ? bb : ab;
            attention.prefill(a.slice(0, 0, 7), s.prefill(ta, 0, 7), RandomTensors.zeros(7, hidden));
            Sequences.done(ta, 7);
            attention.prefill(b.slice(0, 0, 4), s.prefill(tb, 0, 4), RandomTensors.zeros(4, hidden));
            Sequences.done(tb, 4);
        }
        Tensor x = RandomTensors.zeros(2, hidden);
        float[] rows = new float[2 * hidden];
        System.arraycopy(a.slice(0, 7, 1).toFloatArray(), 0, rows, 0, hidden);
        System.arraycopy(b.slice(0, 4, 1).toFloatArray(), 0, rows, hidden, hidden);
        x.copyFrom(rows);
        Tensor both = RandomTensors.zeros(2, hidden);
        attention.decode(x, batched.decode(ba, bb), both);

        Tensor onlyA = RandomTensors.zeros(1, hidden);
        attention.decode(a.slice(0, 7, 1), alone.decode(aa), onlyA);
        Tensor onlyB = RandomTensors.zeros(1, hidden);
        attention.decode(b.slice(0, 4, 1), alone.decode(ab), onlyB);

        Compare.assertClose("batched row 0", onlyA, both.slice(0, 0, 1), Compare.PCC_F32);
        Compare.assertClose("batched row 1", onlyB, both.slice(0, 1, 1), Compare.PCC_F32);
        Compare.assertClose("row 0 vs reference",
                Reference.rows(c.reference(Reference.values(a), 8), hidden, 7, 1), both.slice(0, 0, 1));
        Compare.assertClose("row 1 vs reference",
                Reference.rows(c.reference(Reference.values(b), 5), hidden, 4, 1), both.slice(0, 1, 1));
    }

    @Test
    void slidingWindowMatchesReferenceInPrefillAndDecode() {
        AttentionSpec spec = AttentionCase.with(AttentionCase.llama(), false, QkNorm.NONE, null, 3, 0f);
        AttentionCase c = new AttentionCase(spec, 16, DType.F32, 9);
        assertMatchesReference(c, DType.F32, 11);
        // the window changes the result: the same weights without it differ
        Tensor x = c.random.activation(11, spec.hidden());
        double[] windowed = c.reference(Reference.values(x), 11);
        AttentionCase full = new AttentionCase(AttentionCase.llama(), 16, DType.F32, 9);
        double[] unwindowed = full.reference(Reference.values(x), 11);
        assertTrue(Compare.pcc(windowed, unwindowed) < 0.999, "window had no effect");

        GroupedQueryAttention attention = c.build(device, ModuleConfig.defaults(), LAYER);
        Sequences seqs = new Sequences(device, 2, spec.kvHeads(), spec.headDim());
        BlockTable table = seqs.newSequence();
        attention.prefill(x.slice(0, 0, 10), seqs.prefill(table, 0, 10), RandomTensors.zeros(10, spec.hidden()));
        Sequences.done(table, 10);
        Tensor decoded = RandomTensors.zeros(1, spec.hidden());
        attention.decode(x.slice(0, 10, 1), seqs.decode(table), decoded);
        Compare.assertClose("windowed decode", Reference.rows(windowed, spec.hidden(), 10, 1), decoded);
    }

    @Test
    void softcapMatchesReference() {
        // a small cap and a large scale so that capping changes the scores
        AttentionSpec base = AttentionCase.llama();
        AttentionSpec spec = new AttentionSpec(base.hidden(), base.heads(), base.kvHeads(), base.headDim(), false, false,
                QkNorm.NONE, null, 0, 2f, 1f);
        AttentionCase c = new AttentionCase(spec, 16, DType.F32, 10);
        assertMatchesReference(c, DType.F32, 9);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void qwen2BiasesMatchReference(DType dtype) {
        AttentionSpec spec = AttentionCase.with(AttentionCase.llama(), true, QkNorm.NONE, null, 0, 0f);
        assertMatchesReference(new AttentionCase(spec, 16, dtype, 11), dtype, 9);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void perHeadQkNormMatchesReference(DType dtype) {
        AttentionSpec spec = AttentionCase.with(AttentionCase.llama(), false, QkNorm.PER_HEAD,
                NormSpec.rms(16, 1e-6f), 0, 0f);
        assertMatchesReference(new AttentionCase(spec, 16, dtype, 12), dtype, 9);
        // Gemma 3's (1 + w) per-head norm
        AttentionSpec gemma = AttentionCase.with(AttentionCase.llama(), false, QkNorm.PER_HEAD,
                new NormSpec(16, NormSpec.NormKind.RMS, 1e-6f, 1f, false), 0, 0f);
        assertMatchesReference(new AttentionCase(gemma, 16, dtype, 13), dtype, 9);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void fullQkNormMatchesReference(DType dtype) {
        AttentionSpec spec = AttentionCase.with(AttentionCase.llama(), false, QkNorm.FULL,
                NormSpec.rms(64, 1e-6f), 0, 0f);
        AttentionCase c = new AttentionCase(spec, 16, dtype, 14);
        assertMatchesReference(c, dtype, 9);
        // and in decode
        Tensor x = c.random.activation(6, spec.hidden());
        GroupedQueryAttention attention = c.build(device, ModuleConfig.defaults(), LAYER);
        Sequences seqs = new Sequences(device, 2, spec.kvHeads(), spec.headDim());
        BlockTable table = seqs.newSequence();
        attention.prefill(x.slice(0, 0, 5), seqs.prefill(table, 0, 5), RandomTensors.zeros(5, spec.hidden()));
        Sequences.done(table, 5);
        Tensor decoded = RandomTensors.zeros(1, spec.hidden());
        attention.decode(x.slice(0, 5, 1), seqs.decode(table), decoded);
        Compare.assertClose("full q/k norm decode",
                Reference.rows(c.reference(Reference.values(x), 6), spec.hidden(), 5, 1), decoded);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void withoutRotaryNothingRotatesInPrefillAndDecode(DType dtype) {
        AttentionCase c = new AttentionCase(AttentionCase.llama(), 16, dtype, 17);
        Tensor x = c.random.activation(8, c.spec.hidden());
        GroupedQueryAttention attention = c.buildWithoutRotary(device, ModuleConfig.defaults(), LAYER);
        Sequences seqs = new Sequences(device, 2, c.spec.kvHeads(), c.spec.headDim());
        BlockTable table = seqs.newSequence();
        Tensor out = RandomTensors.zeros(7, c.spec.hidden());
        attention.prefill(x.slice(0, 0, 7), seqs.prefill(table, 0, 7), out);
        Sequences.done(table, 7);
        Tensor decoded = RandomTensors.zeros(1, c.spec.hidden());
        attention.decode(x.slice(0, 7, 1), seqs.decode(table), decoded);

        double[] unrotated = c.reference(Reference.values(x), 8, false);
        Compare.assertClose("no-rotary prefill " + dtype, Reference.rows(unrotated, c.spec.hidden(), 0, 7), out);
        Compare.assertClose("no-rotary decode " + dtype, Reference.rows(unrotated, c.spec.hidden(), 7, 1), decoded);
        // rotation matters here: the rotated reference differs
        double[] rotated = c.reference(Reference.values(x), 8);
        assertTrue(Compare.pcc(rotated, unrotated) < 0.9999, "rotary had no effect");
    }

    @Test
    void aBackendForOtherHeadsIsRefused() {
        AttentionCase c = new AttentionCase(AttentionCase.llama(), 16, DType.F32, 18);
        AttentionSpec other = AttentionSpec.of(64, 4, 4, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GroupedQueryAttention(c.spec, ModuleConfig.defaults(), MapWeights.of(c.weights),
                        c.rotary(device), new AttentionCase(other, 16, DType.F32, 18).backend(device,
                        ModuleConfig.defaults()), LAYER, device));
        assertTrue(e.getMessage().contains("4 kv heads") && e.getMessage().contains("over 2"), e.getMessage());
        // a backend without the spec's sliding window would silently attend to every key
        AttentionSpec windowed = AttentionCase.with(AttentionCase.llama(), false, QkNorm.NONE, null, 3, 0f);
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> new GroupedQueryAttention(windowed, ModuleConfig.defaults(), MapWeights.of(c.weights),
                        c.rotary(device), c.backend(device, ModuleConfig.defaults()), LAYER, device));
        assertTrue(w.getMessage().contains("slidingWindow=0") && w.getMessage().contains("slidingWindow=3"),
                w.getMessage());
    }

    @Test
    void wrongWeightShapesAreNamed() {
        AttentionCase c = new AttentionCase(AttentionCase.llama(), 16, DType.F32, 15);
        c.weights.put("k_proj.weight", c.random.matrix(16, 64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.build(device, ModuleConfig.defaults(), LAYER));
        assertTrue(e.getMessage().contains("k_proj.weight") && e.getMessage().contains("[16, 64]")
                && e.getMessage().contains("[32, 64]"), e.getMessage());
    }

    @Test
    void decodeBeyondMaxBatchIsRefused() {
        AttentionCase c = new AttentionCase(AttentionCase.llama(), 16, DType.F32, 16);
        GroupedQueryAttention attention = c.build(device, new ModuleConfig(2, 8), LAYER);
        Sequences seqs = new Sequences(device, 2, 2, 16);
        BlockTable[] tables = {seqs.newSequence(), seqs.newSequence(), seqs.newSequence()};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> attention.decode(RandomTensors.zeros(3, 64), seqs.decode(tables), RandomTensors.zeros(3, 64)));
        assertTrue(e.getMessage().contains("1 to 2 rows"), e.getMessage());
        assertEquals(SdpaAttentionFactory.NAME, attention.candidate());
    }
}
