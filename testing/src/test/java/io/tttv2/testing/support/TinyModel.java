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
 * A random Llama composed from whatever factories it is given, as a model bundle composes it (by default
 * 2 layers, hidden 32, 4 heads over 2 KV heads of 8, SwiGLU 64, vocabulary 50, RMS eps 1e-5), with a
 * runner's script: prefill two sequences of 6 tokens, then decode 2 steps of both together. As in real Llama
 * checkpoints, token embeddings are small (std 1e-3), so the norms' epsilon matters.
 */
public final class TinyModel {

    /** A model's dimensions, by HF's names. */
    public record Dims(int hidden, int heads, int kvHeads, int headDim, int intermediate, int vocab, int layers) {
    }

    /** The default: small enough for unit tests. */
    public static final Dims TINY = new Dims(32, 4, 2, 8, 64, 50, 2);
    /** kjv-tiny's dimensions (the embedded default model), for benchmarks. */
    public static final Dims KJV_TINY = new Dims(256, 8, 4, 32, 704, 4096, 6);

    public static final int LAYERS = TINY.layers();
    public static final float EPS = 1e-5f;

    private final Dims dims;
    private final Device device;
    private final Embedding embedding;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final Norm finalNorm;
    private final LmHead lmHead;
    private final Map<String, Module> modules = new LinkedHashMap<>();

    public TinyModel(Factories f, Device device) {
        this(f, device, TINY);
    }

    public TinyModel(Factories f, Device device, Dims dims) {
        this.dims = dims;
        this.device = device;
        int h = dims.hidden();
        MapWeights weights = new MapWeights(randomWeights(new Random(42), dims));
        ModuleConfig config = new ModuleConfig(4, 16);
        embedding = f.embedding().create(new EmbeddingSpec(dims.vocab(), h, 1f), weights.scoped("model.embed_tokens"), device);
        modules.put("model.embed_tokens", embedding);
        Rotary rotary = f.rotary().create(new RotarySpec(dims.headDim(), dims.headDim(), RopeScaling.unscaled(10000), 512,
                RotaryStyle.HALF), device);
        modules.put("model.rotary_emb", rotary);
        NormSpec norm = NormSpec.rms(h, EPS);
        for (int l = 0; l < dims.layers(); l++) {
            String path = "model.layers." + l;
            var w = weights.scoped(path);
            Norm inputNorm = f.norm().create(norm, w.scoped("input_layernorm"), device);
            Attention attention = f.attention(AttentionSpec.of(h, dims.heads(), dims.kvHeads(), dims.headDim()), config,
                    w.scoped("self_attn"), rotary, l, device);
            Norm postNorm = f.norm().create(norm, w.scoped("post_attention_layernorm"), device);
            Mlp mlp = f.mlp().create(new MlpSpec(h, dims.intermediate(), Activation.SILU, true, false), config,
                    w.scoped("mlp"), device);
            DecoderLayer layer = f.decoderLayer().create(new DecoderLayerSpec(h,
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
        lmHead = f.lmHead().create(new LmHeadSpec(h, dims.vocab(), 0f), config, weights.scoped("lm_head"), device);
        modules.put("lm_head", lmHead);
    }

    /** Module path → module, as {@code ModelRunner.modules()} gives them. */
    public Map<String, Module> modules() {
        return modules;
    }

    /** A cache for this model: blocks of 4 tokens, room for {@code blocks} of them. */
    public PagedKvCache newCache(int blocks) {
        return device.allocateKvCache(KvCacheSpec.forHeads(dims.layers(), dims.kvHeads(), dims.headDim(), 4, blocks, DType.F32));
    }

    /** Prefills one sequence (a new block table of {@code cache}); returns its table. */
    public BlockTable prefill(PagedKvCache cache, int[] prompt) {
        BlockTable table = cache.newSequence();
        table.reserve(prompt.length);
        Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, prompt.length, dims.hidden());
        embedding.prefill(prompt, x);
        PrefillStep step = new PrefillStep(cache, table, 0);
        for (DecoderLayer layer : layers) {
            layer.prefill(x, step, x);
        }
        finalNorm.prefill(x, x);
        lmHead.prefill(x.slice(0, prompt.length - 1, 1), Tensor.allocate(Arena.ofAuto(), DType.F32, 1, dims.vocab()));
        table.setLength(prompt.length);
        return table;
    }

    /**
     * One decode step of every sequence, as a runner does it: x [B, hidden] and logits [B, vocab] are the
     * caller's workspaces, positions [B] is overwritten.
     */
    public void decode(PagedKvCache cache, BlockTable[] tables, int[] tokens, int[] positions, Tensor x, Tensor logits) {
        for (int b = 0; b < tables.length; b++) {
            positions[b] = tables[b].length();
            tables[b].reserve(positions[b] + 1);
        }
        embedding.decode(tokens, x);
        DecodeStep step = new DecodeStep(cache, tables, positions);
        for (DecoderLayer layer : layers) {
            layer.decode(x, step, x);
        }
        finalNorm.decode(x, x);
        lmHead.decode(x, logits);
        for (int b = 0; b < tables.length; b++) {
            tables[b].setLength(positions[b] + 1);
        }
    }

    /** Prefills two sequences, then decodes two steps of both; returns the last logits [2, vocab]. */
    public float[] run() {
        int[][] prompts = {{1, 7, 3, 22, 9, 4}, {5, 5, 17, 2, 30, 11}};
        try (PagedKvCache cache = newCache(16)) {
            BlockTable[] tables = {prefill(cache, prompts[0]), prefill(cache, prompts[1])};
            Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, prompts.length, dims.hidden());
            Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, prompts.length, dims.vocab());
            int[] positions = new int[prompts.length];
            decode(cache, tables, new int[] {12, 40}, positions, x, logits);
            decode(cache, tables, new int[] {40, 12}, positions, x, logits);
            return logits.toFloatArray();
        }
    }

    private static Map<String, Tensor> randomWeights(Random random, Dims d) {
        int h = d.hidden();
        int q = d.heads() * d.headDim();
        int kv = d.kvHeads() * d.headDim();
        Map<String, Tensor> w = new HashMap<>();
        w.put("model.embed_tokens.weight", random(random, 1e-3, 0, d.vocab(), h));
        for (int l = 0; l < d.layers(); l++) {
            String p = "model.layers." + l + ".";
            w.put(p + "input_layernorm.weight", random(random, 0.1, 1, h));
            w.put(p + "post_attention_layernorm.weight", random(random, 0.1, 1, h));
            w.put(p + "self_attn.q_proj.weight", random(random, 0.1, 0, q, h));
            w.put(p + "self_attn.k_proj.weight", random(random, 0.1, 0, kv, h));
            w.put(p + "self_attn.v_proj.weight", random(random, 0.1, 0, kv, h));
            w.put(p + "self_attn.o_proj.weight", random(random, 0.1, 0, h, q));
            w.put(p + "mlp.gate_proj.weight", random(random, 0.1, 0, d.intermediate(), h));
            w.put(p + "mlp.up_proj.weight", random(random, 0.1, 0, d.intermediate(), h));
            w.put(p + "mlp.down_proj.weight", random(random, 0.1, 0, h, d.intermediate()));
        }
        w.put("model.norm.weight", random(random, 0.1, 1, h));
        w.put("lm_head.weight", random(random, 0.1, 0, d.vocab(), h));
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
