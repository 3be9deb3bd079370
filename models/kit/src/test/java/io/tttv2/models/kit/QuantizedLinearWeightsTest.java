package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** --quantize at load: which tensors change format, to what, once each, and the error for a bad row length. */
class QuantizedLinearWeightsTest {

    /** Weights held in a map under full names. */
    private record MapWeights(Map<String, Tensor> all, String prefix) implements Weights {
        @Override
        public Tensor get(String name) {
            Tensor t = all.get(prefix + name);
            if (t == null) {
                throw new IllegalArgumentException("no tensor " + prefix + name);
            }
            return t;
        }

        @Override
        public boolean contains(String name) {
            return all.containsKey(prefix + name);
        }

        @Override
        public Weights scoped(String scope) {
            return new MapWeights(all, prefix + scope + ".");
        }
    }

    private static Tensor random(Random r, int... shape) {
        float[] v = new float[shape[0] * (shape.length > 1 ? shape[1] : 1)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, shape);
    }

    private static Weights model(Random r) {
        Map<String, Tensor> all = new HashMap<>();
        all.put("model.embed_tokens.weight", random(r, 10, 64));
        all.put("model.layers.0.self_attn.q_proj.weight", random(r, 6, 64));
        all.put("model.layers.0.self_attn.q_proj.bias", random(r, 6));
        all.put("model.layers.0.input_layernorm.weight", random(r, 64));
        all.put("model.layers.0.mlp.gate.weight", random(r, 4, 64));          // a MoE router
        all.put("model.layers.0.mlp.experts.1.down_proj.weight", random(r, 64, 96));
        all.put("model.layers.0.mlp.up_proj.weight", random(r, 5, 48));        // rows of 48: not whole blocks
        all.put("lm_head.weight", random(r, 10, 64));
        return new MapWeights(all, "");
    }

    @Test
    void linearMatricesAreTheProjectionsAndTheHead() {
        assertTrue(QuantizedLinearWeights.isLinearWeight("model.layers.3.self_attn.o_proj.weight", false));
        assertTrue(QuantizedLinearWeights.isLinearWeight("model.layers.3.mlp.experts.7.gate_proj.weight", false));
        assertTrue(QuantizedLinearWeights.isLinearWeight("lm_head.weight", false));
        assertFalse(QuantizedLinearWeights.isLinearWeight("model.layers.3.self_attn.o_proj.bias", false));
        assertFalse(QuantizedLinearWeights.isLinearWeight("model.layers.3.mlp.gate.weight", false));
        assertFalse(QuantizedLinearWeights.isLinearWeight("model.norm.weight", false));
        assertFalse(QuantizedLinearWeights.isLinearWeight("model.embed_tokens.weight", false));
        assertTrue(QuantizedLinearWeights.isLinearWeight("model.embed_tokens.weight", true));
    }

    @Test
    void projectionsAreQuantisedOnceAndTheRestStaysAsStored() {
        Weights source = model(new Random(1));
        Weights w = QuantizedLinearWeights.over(source, DType.Q8_0, false);
        Tensor q = w.scoped("model.layers.0").scoped("self_attn").get("q_proj.weight");
        assertEquals(DType.Q8_0, q.dtype());
        assertSame(q, w.get("model.layers.0.self_attn.q_proj.weight"), "quantised once, the same tensor after");
        float[] original = source.get("model.layers.0.self_attn.q_proj.weight").toFloatArray();
        float[] back = q.toFloatArray();
        for (int i = 0; i < original.length; i++) {
            assertEquals(original[i], back[i], 1.0 / 127 * 0.51 + 1e-3, "element " + i);   // half a step of amax 1
        }
        assertEquals(DType.Q8_0, w.get("model.layers.0.mlp.experts.1.down_proj.weight").dtype());
        assertSame(source.get("model.layers.0.self_attn.q_proj.bias"), w.get("model.layers.0.self_attn.q_proj.bias"));
        assertSame(source.get("model.layers.0.input_layernorm.weight"), w.get("model.layers.0.input_layernorm.weight"));
        assertSame(source.get("model.layers.0.mlp.gate.weight"), w.get("model.layers.0.mlp.gate.weight"));
        assertSame(source.get("model.embed_tokens.weight"), w.get("model.embed_tokens.weight"));
        assertSame(source, QuantizedLinearWeights.over(source, null, false), "no --quantize: the weights as they are");
    }

    @Test
    void underQ4_0TheHeadIsQ8_0() {
        Weights w = QuantizedLinearWeights.over(model(new Random(2)), DType.Q4_0, false);
        assertEquals(DType.Q4_0, w.get("model.layers.0.self_attn.q_proj.weight").dtype());
        assertEquals(DType.Q8_0, w.get("lm_head.weight").dtype());
        Weights tied = QuantizedLinearWeights.over(model(new Random(2)), DType.Q4_0, true);
        assertEquals(DType.Q8_0, tied.scoped("model.embed_tokens").get("weight").dtype());
    }

    @Test
    void aRowThatIsNotWholeBlocksNamesTheTensor() {
        Weights w = QuantizedLinearWeights.over(model(new Random(3)), DType.Q4_0, false);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> w.get("model.layers.0.mlp.up_proj.weight"));
        assertTrue(e.getMessage().contains("'model.layers.0.mlp.up_proj.weight'") && e.getMessage().contains("48")
                && e.getMessage().contains("32"), e.getMessage());
    }

    /** An encoder's or encoder–decoder's kit names: projections, dense layers and the named head. */
    @Test
    void encoderLinearMatricesAreTheProjectionsTheDenseLayersAndTheNamedHead() {
        assertTrue(QuantizedLinearWeights.isLinearWeight("encoder.layers.1.self_attn.v_proj.weight", (String) null));
        assertTrue(QuantizedLinearWeights.isLinearWeight("decoder.layers.0.cross_attn.k_proj.weight", (String) null));
        assertTrue(QuantizedLinearWeights.isLinearWeight("pooler.dense.weight", (String) null));
        assertTrue(QuantizedLinearWeights.isLinearWeight("cls.transform.dense.weight", (String) null));
        assertFalse(QuantizedLinearWeights.isLinearWeight("pooler.dense.bias", (String) null));
        assertFalse(QuantizedLinearWeights.isLinearWeight("encoder.relative_attention_bias.weight", (String) null));
        assertFalse(QuantizedLinearWeights.isLinearWeight("decoder.embed_tokens.weight", (String) null));
        assertTrue(QuantizedLinearWeights.isLinearWeight("decoder.embed_tokens.weight", "decoder.embed_tokens.weight"));
        assertFalse(QuantizedLinearWeights.isLinearWeight("lm_head.weight", "decoder.embed_tokens.weight"));
    }

    @Test
    void underQ4_0TheNamedHeadIsQ8_0AndTheRestQ4_0() {
        Random r = new Random(4);
        Map<String, Tensor> all = new HashMap<>();
        all.put("decoder.embed_tokens.weight", random(r, 10, 64));
        all.put("encoder.embed_tokens.weight", random(r, 10, 64));
        all.put("decoder.layers.0.mlp.up_proj.weight", random(r, 8, 64));
        all.put("pooler.dense.weight", random(r, 64, 64));
        Weights source = new MapWeights(all, "");
        Weights w = QuantizedLinearWeights.over(source, DType.Q4_0, "decoder.embed_tokens.weight");
        assertEquals(DType.Q8_0, w.scoped("decoder.embed_tokens").get("weight").dtype());
        assertEquals(DType.Q4_0, w.scoped("decoder.layers.0").get("mlp.up_proj.weight").dtype());
        assertEquals(DType.Q4_0, w.get("pooler.dense.weight").dtype());
        assertSame(source.get("encoder.embed_tokens.weight"), w.get("encoder.embed_tokens.weight"));
        assertSame(source, QuantizedLinearWeights.over(source, null, (String) null));
    }

    @Test
    void aMappedSourceReadsTheSameAfterItsPagesAreReleased(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        Tensor heap = random(new Random(3), 8, 64);
        java.nio.file.Path file = dir.resolve("w.bin");
        java.nio.file.Files.write(file, heap.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {     // quantised in parallel
            Tensor mapped = Tensor.wrap(ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena),
                    DType.F32, 8, 64);
            Map<String, Tensor> all = new HashMap<>();
            all.put("lm_head.weight", mapped);
            Tensor q = QuantizedLinearWeights.over(new MapWeights(all, ""), DType.Q8_0, false).get("lm_head.weight");
            assertEquals(DType.Q8_0, q.dtype());
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 64; c++) {
                    assertEquals(heap.getFloat(r, c), mapped.getFloat(r, c), "source [" + r + ", " + c + "]");
                }
            }
            assertEquals(-1, io.tttv2.api.tensor.Quantization.quantize(heap, DType.Q8_0).segment()
                    .mismatch(q.segment()), "the same bytes as quantising the values in memory (-1: no mismatch)");
        }
    }

    @Test
    void memoryThatIsNotAFileMappingIsNeverReleased() {
        Tensor heap = random(new Random(4), 4, 64);
        float before = heap.getFloat(3, 63);
        QuantizedLinearWeights.releaseSourcePages(heap);
        assertEquals(before, heap.getFloat(3, 63));
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            Tensor natived = Tensor.allocate(arena, DType.F32, 4, 64);
            natived.setFloat(1.5f, 2, 7);
            QuantizedLinearWeights.releaseSourcePages(natived);
            assertEquals(1.5f, natived.getFloat(2, 7));
        }
    }
}
