package io.tttv2.models.kit;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.tensor.DType;
import io.tttv2.integration.hf.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A one-layer GPT-NeoX-shaped plan (hidden 8, 2 heads of 4, MLP 16, vocab 10) and checkpoints for it named as
 * GPT-NeoX names them; every element's value is distinct (tensor index · 1000 + element), so a test can tell
 * exactly which element a mapped tensor holds.
 */
final class TinyPlans {

    static final int HIDDEN = 8, HEADS = 2, HEAD_DIM = 4, INTER = 16, VOCAB = 10;

    private TinyPlans() {
    }

    static DecoderPlan neoxLike() {
        NormSpec norm = new NormSpec(HIDDEN, NormSpec.NormKind.LAYER, 1e-5f, 0f, true);
        AttentionSpec attention = new AttentionSpec(HIDDEN, HEADS, HEADS, HEAD_DIM, true, true, AttentionSpec.QkNorm.NONE,
                null, 0, 0f, 0.5f);
        MlpSpec mlp = new MlpSpec(HIDDEN, INTER, Activation.GELU, false, true);
        return new DecoderPlan("GPTNeoXForCausalLM", new EmbeddingSpec(VOCAB, HIDDEN, 1f), null,
                List.of(LayerPlan.of(ResidualPattern.PARALLEL, norm, attention, null, mlp)), norm,
                new LmHeadSpec(HIDDEN, VOCAB, 0f), false, 64, List.of(2), DType.F32);
    }

    static WeightMapping neoxMapping() {
        return WeightMapping.builder()
                .rename("model.embed_tokens", "gpt_neox.embed_in")
                .rename("model.layers.*", "gpt_neox.layers.*")
                .rename("model.layers.*.self_attn.o_proj", "gpt_neox.layers.*.attention.dense")
                .rename("model.layers.*.mlp.up_proj", "gpt_neox.layers.*.mlp.dense_h_to_4h")
                .rename("model.layers.*.mlp.down_proj", "gpt_neox.layers.*.mlp.dense_4h_to_h")
                .splitInterleaved("gpt_neox.layers.*.attention.query_key_value", HEADS,
                        "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.k_proj", "model.layers.*.self_attn.v_proj")
                .rename("model.norm", "gpt_neox.final_layer_norm")
                .rename("lm_head", "embed_out")
                .ignore("gpt_neox.layers.*.attention.masked_bias")
                .build();
    }

    /** The tensors of a correct GPT-NeoX checkpoint for {@link #neoxLike()}, name → shape. */
    static Map<String, long[]> neoxTensors() {
        String l = "gpt_neox.layers.0.";
        return new java.util.LinkedHashMap<>(Map.ofEntries(
                Map.entry("gpt_neox.embed_in.weight", new long[] {VOCAB, HIDDEN}),
                Map.entry(l + "input_layernorm.weight", new long[] {HIDDEN}),
                Map.entry(l + "input_layernorm.bias", new long[] {HIDDEN}),
                Map.entry(l + "post_attention_layernorm.weight", new long[] {HIDDEN}),
                Map.entry(l + "post_attention_layernorm.bias", new long[] {HIDDEN}),
                Map.entry(l + "attention.query_key_value.weight", new long[] {3 * HIDDEN, HIDDEN}),
                Map.entry(l + "attention.query_key_value.bias", new long[] {3 * HIDDEN}),
                Map.entry(l + "attention.dense.weight", new long[] {HIDDEN, HIDDEN}),
                Map.entry(l + "attention.dense.bias", new long[] {HIDDEN}),
                Map.entry(l + "mlp.dense_h_to_4h.weight", new long[] {INTER, HIDDEN}),
                Map.entry(l + "mlp.dense_h_to_4h.bias", new long[] {INTER}),
                Map.entry(l + "mlp.dense_4h_to_h.weight", new long[] {HIDDEN, INTER}),
                Map.entry(l + "mlp.dense_4h_to_h.bias", new long[] {HIDDEN}),
                Map.entry("gpt_neox.final_layer_norm.weight", new long[] {HIDDEN}),
                Map.entry("gpt_neox.final_layer_norm.bias", new long[] {HIDDEN}),
                Map.entry("embed_out.weight", new long[] {VOCAB, HIDDEN})));
    }

    /** Writes {@code tensors} (sorted by name) with element e of the i-th tensor = i·1000 + e. */
    static Path write(Path dir, Map<String, long[]> tensors) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        int i = 0;
        for (String name : new java.util.TreeSet<>(tensors.keySet())) {
            long[] shape = tensors.get(name);
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] values = new float[(int) n];
            for (int e = 0; e < n; e++) {
                values[e] = i * 1000 + e;
            }
            writer.addF32(name, shape, values);
            i++;
        }
        Path file = dir.resolve("model.safetensors");
        writer.write(file);
        return file;
    }
}
