package io.tttv2.integration.hf.gguf;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tensor names between llama.cpp's GGUF ({@code blk.3.attn_q.weight}) and HuggingFace's decoder layout
 * ({@code model.layers.3.self_attn.q_proj.weight}), for the architectures of {@link GgufArchitecture}.
 */
final class GgufNames {
    /** HF module path (inside a layer, or global) ↔ GGUF module name. */
    private record Pair(String hf, String gguf) {
    }

    private static final List<Pair> GLOBAL = List.of(
            new Pair("model.embed_tokens", "token_embd"),
            new Pair("model.norm", "output_norm"),
            new Pair("lm_head", "output"));

    private static final List<Pair> LAYER = List.of(
            new Pair("input_layernorm", "attn_norm"),
            new Pair("self_attn.q_proj", "attn_q"),
            new Pair("self_attn.k_proj", "attn_k"),
            new Pair("self_attn.v_proj", "attn_v"),
            new Pair("self_attn.o_proj", "attn_output"),
            new Pair("self_attn.q_norm", "attn_q_norm"),
            new Pair("self_attn.k_norm", "attn_k_norm"),
            new Pair("post_attention_layernorm", "ffn_norm"),
            new Pair("mlp.gate_proj", "ffn_gate"),
            new Pair("mlp.up_proj", "ffn_up"),
            new Pair("mlp.down_proj", "ffn_down"));

    private static final Pattern GGUF_LAYER = Pattern.compile("blk\\.(\\d{1,9})\\.([a-z_]+)\\.(weight|bias)");
    private static final Pattern HF_LAYER = Pattern.compile("model\\.layers\\.(\\d{1,9})\\.([a-z_.]+)\\.(weight|bias)");
    private static final Pattern GLOBAL_NAME = Pattern.compile("([a-z_.]+)\\.(weight|bias)");

    private GgufNames() {
    }

    /** The HF name of a GGUF tensor; empty if it is not one of the mapped names. */
    static Optional<String> toHf(String gguf) {
        Matcher m = GGUF_LAYER.matcher(gguf);
        if (m.matches()) {
            return LAYER.stream().filter(p -> p.gguf.equals(m.group(2))).findFirst()
                    .map(p -> "model.layers." + m.group(1) + "." + p.hf + "." + m.group(3));
        }
        Matcher g = GLOBAL_NAME.matcher(gguf);
        if (g.matches()) {
            return GLOBAL.stream().filter(p -> p.gguf.equals(g.group(1))).findFirst()
                    .map(p -> p.hf + "." + g.group(2));
        }
        return Optional.empty();
    }

    /** The GGUF name of an HF tensor; empty if it is not one of the mapped names. */
    static Optional<String> toGguf(String hf) {
        Matcher m = HF_LAYER.matcher(hf);
        if (m.matches()) {
            return LAYER.stream().filter(p -> p.hf.equals(m.group(2))).findFirst()
                    .map(p -> "blk." + m.group(1) + "." + p.gguf + "." + m.group(3));
        }
        Matcher g = GLOBAL_NAME.matcher(hf);
        if (g.matches()) {
            return GLOBAL.stream().filter(p -> p.hf.equals(g.group(1))).findFirst()
                    .map(p -> p.gguf + "." + g.group(2));
        }
        return Optional.empty();
    }

    /** Whether the tensor is a q_proj or k_proj weight or bias (which llama.cpp's converter permutes). */
    static boolean isQuery(String hf) {
        return hf.contains(".self_attn.q_proj.");
    }

    static boolean isKey(String hf) {
        return hf.contains(".self_attn.k_proj.");
    }

    /** Whether the tensor is an RMSNorm weight (Gemma's are stored as {@code 1 + w}). */
    static boolean isNormWeight(String hf) {
        return hf.endsWith("layernorm.weight") || hf.equals("model.norm.weight") || hf.endsWith("_norm.weight");
    }
}
