package io.tttv2.testing.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
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
import io.tttv2.core.modules.mlp.PlainMlpFactory;
import io.tttv2.core.modules.norm.LayerNormFactory;
import io.tttv2.testing.support.Factories;
import io.tttv2.testing.support.MapWeights;
import io.tttv2.testing.support.TestDevice;
import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The variants no Llama-family fixture exercises, each through the validating decorator around core-impl's
 * candidate: the reference and the implementation were written apart, from HF's code, so agreement on random
 * weights and inputs (and a run long enough for scaled RoPE to matter) is evidence for both.
 */
class VariantsTest {

    private static final int HIDDEN = 24;
    private final ValidationRegistry registry = enabled(new ValidationRegistry());
    private final Factories core = Factories.core().decoratedBy(new ValidatingFactoryDecorator(registry));
    private final Device device = TestDevice.cpu();
    private final Random random = new Random(3);
    private final Map<String, Tensor> tensors = new HashMap<>();
    private final MapWeights weights = new MapWeights(tensors);

    private static ValidationRegistry enabled(ValidationRegistry registry) {
        registry.enable();
        return registry;
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "dynamic", "yarn", "llama3", "deepseek-yarn", "longrope", "partial", "interleaved",
            "bf16"})
    void rotaryVariants(String variant) {
        RopeScaling scaling = switch (variant) {
            case "linear" -> new RopeScaling("linear", 10000, 4, 0, 0, 0, 32, 1, Double.NaN, 0, 0);
            case "dynamic" -> new RopeScaling("dynamic", 10000, 2, 0, 0, 16, 32, 1, Double.NaN, 0, 0);
            case "yarn" -> new RopeScaling("yarn", 10000, 8, 0, 0, 32, 32, 1, Double.NaN, 0, 0);
            case "deepseek-yarn" -> new RopeScaling("yarn", 10000, 40, 0, 0, 32, 32, 1, Double.NaN, 0.707, 0.707);
            case "llama3" -> new RopeScaling("llama3", 500000, 8, 1, 4, 32, 32, 1, Double.NaN, 0, 0);
            // Phi-3 style: factor = max_position_embeddings / original = 256 / 16
            case "longrope" -> new RopeScaling("longrope", 10000, 16, 0, 0, 16, 0, 0, Double.NaN, 0, 0,
                    List.of(1.0, 1.02, 1.1, 1.3, 1.6, 2.0, 2.5, 3.0), List.of(1.0, 1.5, 2.5, 4.0, 7.0, 12.0, 20.0, 33.0));
            default -> RopeScaling.unscaled(10000);
        };
        RotarySpec spec = new RotarySpec(16, variant.equals("partial") ? 8 : 16, scaling, 256,
                variant.equals("interleaved") ? RotaryStyle.INTERLEAVED : RotaryStyle.HALF,
                variant.equals("bf16") ? DType.BF16 : DType.F32);
        Rotary rotary = core.rotary().create(spec, device);
        // dynamic and longrope: HF rotates a whole forward by the frequencies of its longest position, core-impl each
        // position by its own (what generation reaches one token at a time); they agree within the original context
        // and on single-token steps, which is what is validated here
        boolean dynamic = variant.equals("dynamic") || variant.equals("longrope");
        Tensor x = random(dynamic ? 16 : 40, 3, 16);
        rotary.prefill(x, 0, x);
        rotary.prefill(random(dynamic ? 1 : 8, 3, 16), 200, random(dynamic ? 1 : 8, 3, 16));
        int[] positions = dynamic ? new int[] {250} : new int[] {7, 250};
        rotary.decode(random(positions.length, 3, 16), positions, random(positions.length, 3, 16));
        assertAllPassed(1);
        assertEquals(3, registry.records().size());
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void plainMlpWithBiases(Activation activation) {
        MlpFactory plain = (MlpFactory) io.tttv2.testing.validating.ValidatingFactories.wrap(ModuleKind.MLP,
                new PlainMlpFactory(), registry);
        put("up_proj.weight", 40, HIDDEN);
        put("up_proj.bias", 40);
        put("down_proj.weight", HIDDEN, 40);
        put("down_proj.bias", HIDDEN);
        var mlp = plain.create(new MlpSpec(HIDDEN, 40, activation, false, true), ModuleConfig.defaults(), weights, device);
        mlp.prefill(random(5, HIDDEN), random(5, HIDDEN));
        mlp.decode(random(2, HIDDEN), random(2, HIDDEN));
        assertAllPassed(1);
        assertEquals(2, registry.records().size());
    }

    @Test
    void gegluMlp() {
        put("gate_proj.weight", 40, HIDDEN);
        put("up_proj.weight", 40, HIDDEN);
        put("down_proj.weight", HIDDEN, 40);
        var mlp = core.mlp().create(new MlpSpec(HIDDEN, 40, Activation.GELU_TANH, true, false), ModuleConfig.defaults(),
                weights, device);
        mlp.prefill(random(5, HIDDEN), random(5, HIDDEN));
        assertAllPassed(1);
    }

    @Test
    void layerNormWithBiasGemmaNormScaledEmbeddingSoftcappedHead() {
        NormFactory layerNorm = (NormFactory) io.tttv2.testing.validating.ValidatingFactories.wrap(ModuleKind.NORM,
                new LayerNormFactory(), registry);
        put("ln.weight", HIDDEN);
        put("ln.bias", HIDDEN);
        put("gemma.weight", HIDDEN);
        put("embed.weight", 30, HIDDEN);
        put("head.weight", 30, HIDDEN);
        layerNorm.create(new NormSpec(HIDDEN, NormSpec.NormKind.LAYER, 1e-5f, 0f, true), weights.scoped("ln"), device)
                .prefill(random(4, HIDDEN), random(4, HIDDEN));
        core.norm().create(new NormSpec(HIDDEN, NormSpec.NormKind.RMS, 1e-6f, 1f, false), weights.scoped("gemma"), device)
                .decode(random(3, HIDDEN), random(3, HIDDEN));
        core.embedding().create(new EmbeddingSpec(30, HIDDEN, (float) Math.sqrt(HIDDEN)), weights.scoped("embed"), device)
                .prefill(new int[] {0, 29, 7}, random(3, HIDDEN));
        core.lmHead().create(new LmHeadSpec(HIDDEN, 30, 3f), ModuleConfig.defaults(), weights.scoped("head"), device)
                .decode(scaled(random(2, HIDDEN), 10), random(2, 30));
        assertAllPassed(4);
    }

    /** Gemma 2/3, OLMo 2 and GPT-NeoX wirings with an attention that has every option on. */
    @ParameterizedTest
    @EnumSource(ResidualPattern.class)
    void decoderLayerPatternsAroundAFullyOptionedAttention(ResidualPattern pattern) {
        int heads = 4;
        int kvHeads = 2;
        int d = 6;
        for (String norm : new String[] {"input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                "post_feedforward_layernorm"}) {
            put(norm + ".weight", HIDDEN);
        }
        put("self_attn.q_proj.weight", heads * d, HIDDEN);
        put("self_attn.k_proj.weight", kvHeads * d, HIDDEN);
        put("self_attn.v_proj.weight", kvHeads * d, HIDDEN);
        put("self_attn.o_proj.weight", HIDDEN, heads * d);
        put("self_attn.q_proj.bias", heads * d);
        put("self_attn.k_proj.bias", kvHeads * d);
        put("self_attn.v_proj.bias", kvHeads * d);
        put("self_attn.o_proj.bias", HIDDEN);
        put("self_attn.q_norm.weight", heads * d);          // OLMo 2: over the whole projection
        put("self_attn.k_norm.weight", kvHeads * d);
        put("mlp.gate_proj.weight", 32, HIDDEN);
        put("mlp.up_proj.weight", 32, HIDDEN);
        put("mlp.down_proj.weight", HIDDEN, 32);
        ModuleConfig config = new ModuleConfig(2, 4);       // a 7-token prompt runs in chunks of 4
        AttentionSpec spec = new AttentionSpec(HIDDEN, heads, kvHeads, d, true, true, AttentionSpec.QkNorm.FULL,
                NormSpec.rms(heads * d, 1e-6f), 3, 20f, 0.3f);
        Rotary rotary = core.rotary().create(new RotarySpec(d, 4, RopeScaling.unscaled(10000), 32, RotaryStyle.HALF), device);
        Attention attention = core.attention(spec, config, weights.scoped("self_attn"), rotary, 0, device);
        NormSpec ns = NormSpec.rms(HIDDEN, 1e-6f);
        boolean sandwich = pattern == ResidualPattern.PRE_AND_POST_NORM;
        DecoderLayerParts parts = new DecoderLayerParts(
                pattern == ResidualPattern.POST_NORM ? null : norm(ns, "input_layernorm"), attention,
                norm(ns, "post_attention_layernorm"), sandwich ? norm(ns, "pre_feedforward_layernorm") : null,
                sandwich || pattern == ResidualPattern.POST_NORM ? norm(ns, "post_feedforward_layernorm") : null,
                core.mlp().create(new MlpSpec(HIDDEN, 32, Activation.SILU, true, false), config, weights.scoped("mlp"), device));
        DecoderLayer layer = core.decoderLayer().create(new DecoderLayerSpec(HIDDEN, pattern), config, parts, device);
        try (PagedKvCache cache = device.allocateKvCache(KvCacheSpec.forHeads(1, kvHeads, d, 4, 16, DType.F32))) {
            BlockTable[] tables = {cache.newSequence(), cache.newSequence()};
            int[] prompts = {7, 3};
            for (int b = 0; b < 2; b++) {
                tables[b].reserve(prompts[b]);
                Tensor x = random(prompts[b], HIDDEN);
                layer.prefill(x, new PrefillStep(cache, tables[b], 0), x);
                tables[b].setLength(prompts[b]);
            }
            for (int step = 0; step < 3; step++) {
                int[] positions = {tables[0].length(), tables[1].length()};
                tables[0].reserve(positions[0] + 1);
                tables[1].reserve(positions[1] + 1);
                Tensor x = random(2, HIDDEN);
                layer.decode(x, new DecodeStep(cache, tables, positions), x);
                tables[0].setLength(positions[0] + 1);
                tables[1].setLength(positions[1] + 1);
            }
        }
        ValidationSummary summary = registry.summary();
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(5, summary.ofKind(ModuleKind.DECODER_LAYER).get(0).calls());
        // the layer prefills the 7-token prompt in chunks of 4: the second chunk's attention starts at position 4
        // and reads the first chunk's keys and values from the cache
        assertEquals(6, summary.ofKind(ModuleKind.ATTENTION).get(0).calls());
    }

    private Norm norm(NormSpec spec, String name) {
        return core.norm().create(spec, weights.scoped(name), device);
    }

    private void assertAllPassed(int modules) {
        ValidationSummary summary = registry.summary();
        assertEquals(modules, summary.modules().size(), summary.modules().toString());
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
    }

    private void put(String name, int... shape) {
        tensors.put(name, random(shape));
    }

    private Tensor random(int... shape) {
        Tensor t = Tensor.allocate(Arena.ofAuto(), DType.F32, shape);
        float[] v = new float[Math.toIntExact(t.elementCount())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        t.copyFrom(v);
        return t;
    }

    private static Tensor scaled(Tensor t, float s) {
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        t.copyFrom(v);
        return t;
    }
}
