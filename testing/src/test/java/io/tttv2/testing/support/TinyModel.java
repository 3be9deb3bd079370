package io.tttv2.testing.support;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small random Llama (2 layers, hidden 32, 4 heads over 2 KV heads of 8, SwiGLU 64, vocabulary 50, RMS
 * eps 1e-5) composed from whatever factories it is given, as a model bundle composes it, with a runner's
 * script: prefill two sequences of 6 tokens, then decode 2 steps of both together. As in real Llama
 * checkpoints, token embeddings are small (std 1e-3), so the norms' epsilon matters.
 */
public final class TinyModel {

    public static final int HIDDEN = 32;
    public static final int HEADS = 4;
    public static final int KV_HEADS = 2;
    public static final int HEAD_DIM = 8;
    public static final int INTERMEDIATE = 64;
    public static final int VOCAB = 50;
    public static final int LAYERS = 2;
    public static final float EPS = 1e-5f;
    public static final int PROMPT = 6;

    private final Device device;
    private final Embedding embedding;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final Norm finalNorm;
    private final LmHead lmHead;
    private final Map<String, Module> modules = new LinkedHashMap<>();

    public TinyModel(Factories f, Device device) {
        this.device = device;
        MapWeights weights = new MapWeights(randomWeights(new Random(42)));
        ModuleConfig config = new ModuleConfig(4, 16);
        embedding = f.embedding().create(new EmbeddingSpec(VOCAB, HIDDEN, 1f), weights.scoped("model.embed_tokens"), device);
        modules.put("model.embed_tokens", embedding);
        Rotary rotary = f.rotary().create(new RotarySpec(HEAD_DIM, HEAD_DIM, RopeScaling.unscaled(10000), 64,
                RotaryStyle.HALF), device);
        modules.put("model.rotary_emb", rotary);
        NormSpec norm = NormSpec.rms(HIDDEN, EPS);
        for (int l = 0; l < LAYERS; l++) {
            String path = "model.layers." + l;
            var w = weights.scoped(path);
            Norm inputNorm = f.norm().create(norm, w.scoped("input_layernorm"), device);
            Attention attention = f.attention().create(AttentionSpec.of(HIDDEN, HEADS, KV_HEADS, HEAD_DIM), config,
                    w.scoped("self_attn"), rotary, l, device);
            Norm postNorm = f.norm().create(norm, w.scoped("post_attention_layernorm"), device);
            Mlp mlp = f.mlp().create(new MlpSpec(HIDDEN, INTERMEDIATE, Activation.SILU, true, false), config,
                    w.scoped("mlp"), device);
            DecoderLayer layer = f.decoderLayer().create(new DecoderLayerSpec(HIDDEN,
                    DecoderLayerSpec.ResidualPattern.PRE_NORM), config,
                    new DecoderLayerParts(inputNorm, attention, postNorm, null, null, mlp), device);
            layers.add(layer);
            modules.put(path, layer);
            modules.put(path + ".input_layernorm", inputNorm);
            modules.put(path + ".self_attn", attention);
            modules.put(path + ".post_attention_layernorm", postNorm);
            modules.put(path + ".mlp", mlp);
        }
        finalNorm = f.norm().create(norm, weights.scoped("model.norm"), device);
        modules.put("model.norm", finalNorm);
        lmHead = f.lmHead().create(new LmHeadSpec(HIDDEN, VOCAB, 0f), config, weights.scoped("lm_head"), device);
        modules.put("lm_head", lmHead);
    }

    /** Module path → module, as {@code ModelRunner.modules()} gives them. */
    public Map<String, Module> modules() {
        return modules;
    }

    /** Prefills two sequences, then decodes two steps of both; returns the last logits [2, vocab]. */
    public float[] run() {
        int[][] prompts = {{1, 7, 3, 22, 9, 4}, {5, 5, 17, 2, 30, 11}};
        try (PagedKvCache cache = device.allocateKvCache(new KvCacheSpec(LAYERS, KV_HEADS, HEAD_DIM, 4, 16, DType.F32))) {
            BlockTable[] tables = new BlockTable[prompts.length];
            for (int b = 0; b < prompts.length; b++) {
                tables[b] = cache.newSequence();
                tables[b].reserve(PROMPT);
                Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, PROMPT, HIDDEN);
                embedding.prefill(prompts[b], x);
                PrefillStep step = new PrefillStep(cache, tables[b], 0);
                for (DecoderLayer layer : layers) {
                    layer.prefill(x, step, x);
                }
                finalNorm.prefill(x, x);
                lmHead.prefill(x.slice(0, PROMPT - 1, 1), Tensor.allocate(Arena.ofAuto(), DType.F32, 1, VOCAB));
                tables[b].setLength(PROMPT);
            }
            Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, prompts.length, VOCAB);
            int[] tokens = {12, 40};
            for (int s = 0; s < 2; s++) {
                int[] positions = new int[prompts.length];
                for (int b = 0; b < prompts.length; b++) {
                    positions[b] = tables[b].length();
                    tables[b].reserve(positions[b] + 1);
                }
                Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, prompts.length, HIDDEN);
                embedding.decode(tokens, x);
                DecodeStep step = new DecodeStep(cache, tables, positions);
                for (DecoderLayer layer : layers) {
                    layer.decode(x, step, x);
                }
                finalNorm.decode(x, x);
                lmHead.decode(x, logits);
                for (int b = 0; b < prompts.length; b++) {
                    tables[b].setLength(positions[b] + 1);
                }
                tokens = new int[] {tokens[1], tokens[0]};
            }
            return logits.toFloatArray();
        }
    }

    private static Map<String, Tensor> randomWeights(Random random) {
        Map<String, Tensor> w = new HashMap<>();
        w.put("model.embed_tokens.weight", random(random, 1e-3, 0, VOCAB, HIDDEN));
        for (int l = 0; l < LAYERS; l++) {
            String p = "model.layers." + l + ".";
            w.put(p + "input_layernorm.weight", random(random, 0.1, 1, HIDDEN));
            w.put(p + "post_attention_layernorm.weight", random(random, 0.1, 1, HIDDEN));
            w.put(p + "self_attn.q_proj.weight", random(random, 0.1, 0, HEADS * HEAD_DIM, HIDDEN));
            w.put(p + "self_attn.k_proj.weight", random(random, 0.1, 0, KV_HEADS * HEAD_DIM, HIDDEN));
            w.put(p + "self_attn.v_proj.weight", random(random, 0.1, 0, KV_HEADS * HEAD_DIM, HIDDEN));
            w.put(p + "self_attn.o_proj.weight", random(random, 0.1, 0, HIDDEN, HEADS * HEAD_DIM));
            w.put(p + "mlp.gate_proj.weight", random(random, 0.1, 0, INTERMEDIATE, HIDDEN));
            w.put(p + "mlp.up_proj.weight", random(random, 0.1, 0, INTERMEDIATE, HIDDEN));
            w.put(p + "mlp.down_proj.weight", random(random, 0.1, 0, HIDDEN, INTERMEDIATE));
        }
        w.put("model.norm.weight", random(random, 0.1, 1, HIDDEN));
        w.put("lm_head.weight", random(random, 0.1, 0, VOCAB, HIDDEN));
        return w;
    }

    /** mean + std · N(0, 1), F32. */
    private static Tensor random(Random random, double std, double mean, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + std * random.nextGaussian());
        }
        return Tensor.of(v, shape);
    }
}
