package io.tttv2.core.modules.attention;

import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.backend.SdpaAttentionBackendFactory;
import io.tttv2.core.modules.rotary.RotaryEmbedding;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import io.tttv2.core.modules.testing.RopeReference;
import java.util.HashMap;
import java.util.Map;

/** A random attention (spec, weights in a dtype, rotary) and its float64 reference over a whole sequence. */
final class AttentionCase {

    static final double THETA = 10000;

    final AttentionSpec spec;
    final int rotaryDim;
    final Map<String, Tensor> weights = new HashMap<>();
    final RandomTensors random;

    AttentionCase(AttentionSpec spec, int rotaryDim, DType dtype, long seed) {
        this.spec = spec;
        this.rotaryDim = rotaryDim;
        this.random = new RandomTensors(seed, dtype);
        int h = spec.hidden();
        int qDim = spec.heads() * spec.headDim();
        int kvDim = spec.kvHeads() * spec.headDim();
        weights.put("q_proj.weight", random.matrix(qDim, h));
        weights.put("k_proj.weight", random.matrix(kvDim, h));
        weights.put("v_proj.weight", random.matrix(kvDim, h));
        weights.put("o_proj.weight", random.matrix(h, qDim));
        if (spec.qkvBias()) {
            weights.put("q_proj.bias", random.matrix(qDim));
            weights.put("k_proj.bias", random.matrix(kvDim));
            weights.put("v_proj.bias", random.matrix(kvDim));
        }
        if (spec.outputBias()) {
            weights.put("o_proj.bias", random.matrix(h));
        }
        switch (spec.qkNorm()) {
            case NONE -> { }
            case PER_HEAD -> {
                weights.put("q_norm.weight", random.normScale(spec.headDim()));
                weights.put("k_norm.weight", random.normScale(spec.headDim()));
            }
            case FULL -> {
                weights.put("q_norm.weight", random.normScale(qDim));
                weights.put("k_norm.weight", random.normScale(kvDim));
            }
        }
    }

    /** Llama-like GQA: hidden 64, 4 heads, 2 kv heads, head dim 16. */
    static AttentionSpec llama() {
        return AttentionSpec.of(64, 4, 2, 16);
    }

    static AttentionSpec with(AttentionSpec s, boolean qkvBias, AttentionSpec.QkNorm qkNorm, NormSpec normSpec,
                              int window, float softcap) {
        return new AttentionSpec(s.hidden(), s.heads(), s.kvHeads(), s.headDim(), qkvBias, s.outputBias(), qkNorm,
                normSpec, window, softcap, s.scaling());
    }

    RotaryEmbedding rotary(Device device) {
        return new RotaryEmbedding(new RotarySpec(spec.headDim(), rotaryDim, RopeScaling.unscaled(THETA), 256,
                RotaryStyle.HALF), ModuleConfig.defaults(), device);
    }

    GroupedQueryAttention build(Device device, ModuleConfig config, int layer) {
        return new GroupedQueryAttention(spec, config, MapWeights.of(weights), rotary(device), backend(device, config),
                layer, device);
    }

    /** The same attention without rotary positions (GPT-2). */
    GroupedQueryAttention buildWithoutRotary(Device device, ModuleConfig config, int layer) {
        return new GroupedQueryAttention(spec, config, MapWeights.of(weights), null, backend(device, config), layer,
                device);
    }

    AttentionBackend backend(Device device, ModuleConfig config) {
        return new SdpaAttentionBackendFactory().create(AttentionBackendSpec.causal(spec), config, device);
    }

    /** The attention output [t, hidden] of x [t, hidden] at positions 0 .. t-1, in float64. */
    double[] reference(double[] x, int t) {
        return reference(x, t, true);
    }

    /** As {@link #reference(double[], int)}, rotating q and k only if {@code rotated}. */
    double[] reference(double[] x, int t, boolean rotated) {
        int d = spec.headDim();
        int heads = spec.heads();
        int kv = spec.kvHeads();
        double[] q = Reference.linear(x, t, weights.get("q_proj.weight"), weights.get("q_proj.bias"));
        double[] k = Reference.linear(x, t, weights.get("k_proj.weight"), weights.get("k_proj.bias"));
        double[] v = Reference.linear(x, t, weights.get("v_proj.weight"), weights.get("v_proj.bias"));
        NormSpec ns = spec.qkNormSpec();
        switch (spec.qkNorm()) {
            case NONE -> { }
            case PER_HEAD -> {
                q = Reference.rmsNorm(q, d, weights.get("q_norm.weight"), ns.eps(), ns.weightOffset());
                k = Reference.rmsNorm(k, d, weights.get("k_norm.weight"), ns.eps(), ns.weightOffset());
            }
            case FULL -> {
                q = Reference.rmsNorm(q, heads * d, weights.get("q_norm.weight"), ns.eps(), ns.weightOffset());
                k = Reference.rmsNorm(k, kv * d, weights.get("k_norm.weight"), ns.eps(), ns.weightOffset());
            }
        }
        int[] positions = new int[t];
        for (int i = 0; i < t; i++) {
            positions[i] = i;
        }
        if (rotated) {
            double[] inv = RopeReference.defaults(THETA, rotaryDim);
            q = Reference.rope(q, t, heads, d, positions, inv, 1);
            k = Reference.rope(k, t, kv, d, positions, inv, 1);
        }
        double[] ctx = Reference.attention(q, t, heads, k, v, t, kv, d, 0, spec.scaling(), spec.slidingWindow(),
                spec.softcap());
        return Reference.linear(ctx, t, weights.get("o_proj.weight"), weights.get("o_proj.bias"));
    }
}
