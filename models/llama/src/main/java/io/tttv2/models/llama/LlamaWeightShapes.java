package io.tttv2.models.llama;

import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.weights.CheckpointWeights;
import io.tttv2.integration.hf.safetensors.TensorEntry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tensor a Llama-family checkpoint must hold, with the shape config.json implies — checked before
 * any module is built, so a wrong checkpoint fails with one line naming file, tensor, found and expected.
 */
final class LlamaWeightShapes {

    private LlamaWeightShapes() {
    }

    /** Tensor name → expected shape, in HF's names. */
    static Map<String, long[]> expected(LlamaFamilyConfig c) {
        long h = c.hiddenSize(), q = (long) c.numAttentionHeads() * c.headDim(), kv = (long) c.numKeyValueHeads() * c.headDim();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("model.embed_tokens.weight", new long[] {c.vocabSize(), h});
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String p = "model.layers." + l + ".";
            shapes.put(p + "input_layernorm.weight", new long[] {h});
            shapes.put(p + "self_attn.q_proj.weight", new long[] {q, h});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {kv, h});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {kv, h});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {h, q});
            if (c.qkvBias()) {
                shapes.put(p + "self_attn.q_proj.bias", new long[] {q});
                shapes.put(p + "self_attn.k_proj.bias", new long[] {kv});
                shapes.put(p + "self_attn.v_proj.bias", new long[] {kv});
            }
            if (c.outputBias()) {
                shapes.put(p + "self_attn.o_proj.bias", new long[] {h});
            }
            if (c.qkNorm()) {
                shapes.put(p + "self_attn.q_norm.weight", new long[] {c.headDim()});
                shapes.put(p + "self_attn.k_norm.weight", new long[] {c.headDim()});
            }
            shapes.put(p + "post_attention_layernorm.weight", new long[] {h});
            shapes.put(p + "mlp.gate_proj.weight", new long[] {c.intermediateSize(), h});
            shapes.put(p + "mlp.up_proj.weight", new long[] {c.intermediateSize(), h});
            shapes.put(p + "mlp.down_proj.weight", new long[] {h, c.intermediateSize()});
            if (c.mlpBias()) {
                shapes.put(p + "mlp.gate_proj.bias", new long[] {c.intermediateSize()});
                shapes.put(p + "mlp.up_proj.bias", new long[] {c.intermediateSize()});
                shapes.put(p + "mlp.down_proj.bias", new long[] {h});
            }
        }
        shapes.put("model.norm.weight", new long[] {h});
        if (!c.tieWordEmbeddings()) {
            shapes.put("lm_head.weight", new long[] {c.vocabSize(), h});
        }
        return shapes;
    }

    /** Throws {@link ModelLoadException} for the first missing tensor, wrong shape or unsupported dtype. */
    static void check(LlamaFamilyConfig c, Checkpoint checkpoint) {
        for (Map.Entry<String, long[]> e : expected(c).entrySet()) {
            if (!checkpoint.contains(e.getKey())) {
                throw new ModelLoadException(checkpoint.location().getFileName() + ": tensor '" + e.getKey()
                        + "' is missing from the checkpoint (config.json's " + c.architecture() + " needs it)");
            }
            TensorEntry entry = checkpoint.entry(e.getKey());
            if (!Arrays.equals(entry.shape(), e.getValue())) {
                throw new ModelLoadException(entry.file().getFileName() + ": tensor '" + e.getKey() + "' has shape "
                        + Arrays.toString(entry.shape()) + ", expected " + Arrays.toString(e.getValue()) + " from config.json");
            }
            CheckpointWeights.dtype(entry);
        }
    }
}
