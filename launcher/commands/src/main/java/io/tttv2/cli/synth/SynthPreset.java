package io.tttv2.cli.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The real shapes {@code tttv2 synth} can write, as their HuggingFace {@code config.json} files give them
 * (meta-llama/Llama-3.2-1B, Qwen/Qwen2.5-0.5B, TinyLlama/TinyLlama-1.1B-Chat-v1.0), plus a tiny Llama-3.2-like
 * shape for tests and CI. The vocabulary is not part of a preset: it follows the tokenizer written beside
 * the weights (see {@link SynthCommand}).
 *
 * @param name               the name on the command line
 * @param architecture       HF's {@code architectures[0]}
 * @param modelType          HF's {@code model_type}
 * @param hiddenSize         {@code hidden_size}
 * @param intermediateSize   {@code intermediate_size}
 * @param layers             {@code num_hidden_layers}
 * @param heads              {@code num_attention_heads}
 * @param kvHeads            {@code num_key_value_heads}
 * @param headDim            {@code head_dim}
 * @param maxPositions       {@code max_position_embeddings}
 * @param ropeTheta          {@code rope_theta}
 * @param llama3Rope         Llama 3's {@code rope_scaling} (factor 32, low 1, high 4, original 8192)
 * @param rmsNormEps         {@code rms_norm_eps}
 * @param tiedEmbeddings     {@code tie_word_embeddings}
 * @param qkvBias            q/k/v projections carry biases (Qwen2)
 */
record SynthPreset(String name, String architecture, String modelType, int hiddenSize, int intermediateSize, int layers,
                   int heads, int kvHeads, int headDim, int maxPositions, double ropeTheta, boolean llama3Rope,
                   double rmsNormEps, boolean tiedEmbeddings, boolean qkvBias) {

    static final SynthPreset LLAMA_3_2_1B = new SynthPreset("llama-3.2-1b", "LlamaForCausalLM", "llama",
            2048, 8192, 16, 32, 8, 64, 131072, 500000.0, true, 1e-5, true, false);
    static final SynthPreset QWEN2_5_0_5B = new SynthPreset("qwen2.5-0.5b", "Qwen2ForCausalLM", "qwen2",
            896, 4864, 24, 14, 2, 64, 32768, 1000000.0, false, 1e-6, true, true);
    static final SynthPreset TINYLLAMA_1_1B = new SynthPreset("tinyllama-1.1b", "LlamaForCausalLM", "llama",
            2048, 5632, 22, 32, 4, 64, 2048, 10000.0, false, 1e-5, false, false);
    /** Llama 3.2's kind of model at a size a test writes in milliseconds: [4 heads × 32] = 128 wide, 2 layers. */
    static final SynthPreset TINY = new SynthPreset("tiny", "LlamaForCausalLM", "llama",
            128, 384, 2, 4, 2, 32, 2048, 500000.0, true, 1e-5, true, false);

    static final List<SynthPreset> ALL = List.of(LLAMA_3_2_1B, QWEN2_5_0_5B, TINYLLAMA_1_1B, TINY);

    /** The preset named {@code name}; a {@link IllegalArgumentException} naming the known ones otherwise. */
    static SynthPreset named(String name) {
        for (SynthPreset p : ALL) {
            if (p.name.equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("--preset expected one of " + names() + ", found '" + name + "'");
    }

    static String names() {
        return String.join(", ", ALL.stream().map(SynthPreset::name).toList());
    }

    /** The same shape with {@code count} layers (a shorter model of the same width, for quick runs). */
    SynthPreset withLayers(int count) {
        return new SynthPreset(name, architecture, modelType, hiddenSize, intermediateSize, count, heads, kvHeads,
                headDim, maxPositions, ropeTheta, llama3Rope, rmsNormEps, tiedEmbeddings, qkvBias);
    }

    /** What one tensor is: its HF name, shape, and how it starts (drawn, ones or zeros). */
    record TensorPlan(String name, long[] shape, Init init) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** Weights are drawn from N(0, 0.02) as HF's {@code _init_weights} does; norms start at 1, biases at 0. */
    enum Init { NORMAL, ONES, ZEROS }

    /** Every tensor of the checkpoint in HF's names, in model order. */
    List<TensorPlan> tensors(int vocab) {
        long h = hiddenSize;
        long q = (long) heads * headDim;       // [heads * headDim]
        long kv = (long) kvHeads * headDim;    // [kvHeads * headDim]
        long i = intermediateSize;
        List<TensorPlan> out = new ArrayList<>();
        out.add(new TensorPlan("model.embed_tokens.weight", new long[] {vocab, h}, Init.NORMAL));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            out.add(new TensorPlan(p + "input_layernorm.weight", new long[] {h}, Init.ONES));
            out.add(new TensorPlan(p + "self_attn.q_proj.weight", new long[] {q, h}, Init.NORMAL));
            out.add(new TensorPlan(p + "self_attn.k_proj.weight", new long[] {kv, h}, Init.NORMAL));
            out.add(new TensorPlan(p + "self_attn.v_proj.weight", new long[] {kv, h}, Init.NORMAL));
            if (qkvBias) {
                out.add(new TensorPlan(p + "self_attn.q_proj.bias", new long[] {q}, Init.ZEROS));
                out.add(new TensorPlan(p + "self_attn.k_proj.bias", new long[] {kv}, Init.ZEROS));
                out.add(new TensorPlan(p + "self_attn.v_proj.bias", new long[] {kv}, Init.ZEROS));
            }
            out.add(new TensorPlan(p + "self_attn.o_proj.weight", new long[] {h, q}, Init.NORMAL));
            out.add(new TensorPlan(p + "post_attention_layernorm.weight", new long[] {h}, Init.ONES));
            out.add(new TensorPlan(p + "mlp.gate_proj.weight", new long[] {i, h}, Init.NORMAL));
            out.add(new TensorPlan(p + "mlp.up_proj.weight", new long[] {i, h}, Init.NORMAL));
            out.add(new TensorPlan(p + "mlp.down_proj.weight", new long[] {h, i}, Init.NORMAL));
        }
        out.add(new TensorPlan("model.norm.weight", new long[] {h}, Init.ONES));
        if (!tiedEmbeddings) {
            out.add(new TensorPlan("lm_head.weight", new long[] {vocab, h}, Init.NORMAL));
        }
        return out;
    }
}
