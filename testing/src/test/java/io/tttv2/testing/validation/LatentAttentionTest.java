package io.tttv2.testing.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.AttentionBackendFactory;
import io.tttv2.api.modules.ModuleFactories.LatentAttentionFactory;
import io.tttv2.api.modules.ModuleFactories.RotaryFactory;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.backend.SdpaAttentionBackendFactory;
import io.tttv2.core.modules.latent.AbsorbedLatentAttentionFactory;
import io.tttv2.core.modules.latent.LatentAttention;
import io.tttv2.core.modules.rotary.RotaryEmbeddingFactory;
import io.tttv2.testing.support.MapWeights;
import io.tttv2.testing.support.TestDevice;
import io.tttv2.testing.validating.ValidatingFactories;
import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Core-impl's absorbed latent attention (kv_b_proj folded into queries and outputs, the latent cached) and the
 * attention backend over a latent cache, through the validating decorator, against their float64 references
 * (the latent attention's expands keys and values per head, as HF does). Dimensions differ from each other and
 * from any fixture's; a scaling bug fails.
 */
class LatentAttentionTest {

    private static final int HIDDEN = 40;
    private static final int HEADS = 3;
    private static final int Q_RANK = 20;
    private static final int KV_RANK = 12;
    private static final int NOPE = 6;
    private static final int ROPE = 4;
    private static final int V = 10;

    private final ValidationRegistry registry = enabled(new ValidationRegistry());
    private final Device device = TestDevice.cpu();
    private final Random random = new Random(11);
    private final Map<String, Tensor> tensors = new HashMap<>();

    private static ValidationRegistry enabled(ValidationRegistry registry) {
        registry.enable();
        return registry;
    }

    private static LatentAttentionSpec spec(String variant) {
        boolean qLora = !variant.equals("q-proj");
        float scale = (float) (Math.pow(NOPE + ROPE, -0.5) * (variant.equals("mscale") ? 1.7 : 1.0));
        return new LatentAttentionSpec(HIDDEN, HEADS, qLora ? Q_RANK : 0, KV_RANK, NOPE, ROPE, V,
                variant.equals("bias"), qLora ? new NormSpec(Q_RANK, NormSpec.NormKind.RMS, 1e-6f, 0f, false) : null,
                new NormSpec(KV_RANK, NormSpec.NormKind.RMS, 1e-6f, 0f, false), scale);
    }

    private void weights(LatentAttentionSpec s, DType dtype) {
        int qk = s.qkHeadDim();
        if (s.qLoraRank() > 0) {
            put("q_a_proj.weight", dtype, 0.2f, Q_RANK, HIDDEN);
            put("q_a_layernorm.weight", DType.F32, 1f, Q_RANK);
            put("q_b_proj.weight", dtype, 0.3f, HEADS * qk, Q_RANK);
        } else {
            put("q_proj.weight", dtype, 0.2f, HEADS * qk, HIDDEN);
        }
        put("kv_a_proj_with_mqa.weight", dtype, 0.2f, KV_RANK + ROPE, HIDDEN);
        put("kv_a_layernorm.weight", DType.F32, 1f, KV_RANK);
        put("kv_b_proj.weight", dtype, 0.3f, HEADS * (NOPE + V), KV_RANK);
        put("o_proj.weight", dtype, 0.2f, HIDDEN, HEADS * V);
        if (s.bias()) {
            put("q_a_proj.bias", DType.F32, 1f, Q_RANK);
            put("kv_a_proj_with_mqa.bias", DType.F32, 1f, KV_RANK + ROPE);
            put("o_proj.bias", DType.F32, 1f, HIDDEN);
        }
    }

    private void put(String name, DType dtype, float scale, int... shape) {
        Tensor t = random(shape);
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        t.copyFrom(v);
        if (dtype != DType.F32) {
            Tensor narrow = Tensor.allocate(Arena.ofAuto(), dtype, shape);
            device.ops().copy(t, narrow);
            t = narrow;
        }
        tensors.put("attn." + name, t);
    }

    private Rotary rotary(RotaryStyle style) {
        RotaryFactory f = (RotaryFactory) ValidatingFactories.wrap(ModuleKind.ROTARY, new RotaryEmbeddingFactory(),
                registry);
        return f.create(new RotarySpec(ROPE, ROPE, RopeScaling.unscaled(10000), 64, style), device);
    }

    private AttentionBackend backend(AttentionBackendSpec spec) {
        AttentionBackendFactory f = (AttentionBackendFactory) ValidatingFactories.wrap(ModuleKind.ATTENTION_BACKEND,
                new SdpaAttentionBackendFactory(), registry);
        return f.create(spec, new ModuleConfig(2, 4), device);
    }

    /** Two sequences: 9 tokens prefilled in chunks of 4 from 0, then 3 more from 9; 5 tokens; one decode of both. */
    private void exercise(Attention attention, DType cacheType) {
        KvCacheSpec kv = new KvCacheSpec(1, 1, KV_RANK + ROPE, 0, 4, 16, cacheType);
        try (PagedKvCache cache = device.allocateKvCache(kv)) {
            BlockTable[] tables = {cache.newSequence(), cache.newSequence()};
            tables[0].reserve(13);
            tables[1].reserve(6);
            attention.prefill(random(9, HIDDEN), new PrefillStep(cache, tables[0], 0), random(9, HIDDEN));
            tables[0].setLength(9);
            attention.prefill(random(3, HIDDEN), new PrefillStep(cache, tables[0], 9), random(3, HIDDEN));
            tables[0].setLength(12);
            attention.prefill(random(5, HIDDEN), new PrefillStep(cache, tables[1], 0), random(5, HIDDEN));
            tables[1].setLength(5);
            attention.decode(random(2, HIDDEN), new DecodeStep(cache, tables, new int[] {12, 5}), random(2, HIDDEN));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"q-lora", "q-proj", "bias", "mscale", "half-rope", "bf16"})
    void latentAttentionMatchesTheExpandedReference(String variant) {
        LatentAttentionSpec s = spec(variant);
        DType dtype = variant.equals("bf16") ? DType.BF16 : DType.F32;
        weights(s, dtype);
        LatentAttentionFactory f = (LatentAttentionFactory) ValidatingFactories.wrap(ModuleKind.LATENT_ATTENTION,
                new AbsorbedLatentAttentionFactory(), registry);
        Attention attention = f.create(s, new ModuleConfig(2, 4), new MapWeights(tensors).scoped("attn"),
                rotary(variant.equals("half-rope") ? RotaryStyle.HALF : RotaryStyle.INTERLEAVED),
                backend(AttentionBackendSpec.latent(s)), 0, device);
        // an F32 cache: this step's own entries are the reference's, unrounded (a BF16 cache is the backend's test)
        exercise(attention, DType.F32);
        ValidationSummary summary = registry.summary();
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(4, summary.ofKind(ModuleKind.LATENT_ATTENTION).get(0).calls());    // three prefills, a decode
        assertEquals(7, summary.ofKind(ModuleKind.ATTENTION_BACKEND).get(0).calls());   // chunks 3 + 1 + 2, a decode
    }

    @Test
    void aLatentAttentionWithTheWrongScaleFails() {
        LatentAttentionSpec s = spec("q-lora");
        weights(s, DType.F32);
        // the bug: the softmax scale without YaRN's mscale² (built with a spec that differs only in its scaling)
        LatentAttentionFactory wrong = (spec, config, w, rotary, backend, layer, d) -> {
            LatentAttentionSpec unscaled = new LatentAttentionSpec(spec.hidden(), spec.heads(), spec.qLoraRank(),
                    spec.kvLoraRank(), spec.qkNopeHeadDim(), spec.qkRopeHeadDim(), spec.vHeadDim(), spec.bias(),
                    spec.qANorm(), spec.kvANorm(), spec.scaling() / 1.7f);
            return new LatentAttention(unscaled, config, w, rotary,
                    new SdpaAttentionBackendFactory().create(AttentionBackendSpec.latent(unscaled), config, d), layer, d);
        };
        LatentAttentionFactory validated = (LatentAttentionFactory) ValidatingFactories.wrap(
                ModuleKind.LATENT_ATTENTION, wrong, registry);
        Attention attention = validated.create(s, new ModuleConfig(2, 4), new MapWeights(tensors).scoped("attn"),
                rotary(RotaryStyle.INTERLEAVED), backend(AttentionBackendSpec.latent(s)), 0, device);
        exercise(attention, DType.F32);
        assertFalse(registry.summary().passed(), "a scale off by 1.7 passed validation");
    }

    @Test
    void aBackendOfAnotherShapeIsRefusedWithOneLine() {
        LatentAttentionSpec s = spec("q-lora");
        weights(s, DType.F32);
        AttentionBackend standard = new SdpaAttentionBackendFactory().create(new AttentionBackendSpec(HEADS, 1,
                KV_RANK + ROPE, new AttentionParams(s.scaling(), true, 0, 0f)), ModuleConfig.defaults(), device);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LatentAttention(s,
                ModuleConfig.defaults(), new MapWeights(tensors).scoped("attn"), rotary(RotaryStyle.INTERLEAVED),
                standard, 0, device));
        assertTrue(e.getMessage().startsWith("latent attention: backend tttv2/attention-backend/sdpa computes"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"F32", "BF16", "F16"})
    void theBackendReadsValuesFromTheLatentEntries(String cacheType) {
        int width = 14;
        int valueWidth = 9;
        AttentionBackendSpec spec = new AttentionBackendSpec(4, 1, width, valueWidth,
                new AttentionParams(0.3f, true, 0, 0f));
        AttentionBackend backend = backend(spec);
        try (PagedKvCache cache = device.allocateKvCache(new KvCacheSpec(1, 1, width, 0, 4, 16,
                DType.valueOf(cacheType)))) {
            BlockTable[] tables = {cache.newSequence(), cache.newSequence()};
            int[] lengths = {9, 4};
            for (int b = 0; b < 2; b++) {
                tables[b].reserve(lengths[b] + 1);
                device.ops().writeKv(cache, 0, tables[b], 0, random(lengths[b] + 1, 1, width), null);
            }
            backend.prefill(random(9, 4, width), cache, 0, tables[0], 0, random(9, 4, valueWidth));
            backend.prefill(random(4, 4, width), cache, 0, tables[0], 5, random(4, 4, valueWidth));
            backend.decode(random(2, 4, width), cache, 0, tables, new int[] {9, 4}, random(2, 4, valueWidth));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> device.ops()
                    .writeKv(cache, 0, tables[0], 0, random(1, 1, width), random(1, 1, width)));
            assertTrue(e.getMessage().contains("stores no values"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> cache.values(0));
        }
        ValidationSummary summary = registry.summary();
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(3, summary.ofKind(ModuleKind.ATTENTION_BACKEND).get(0).calls());
    }

    @Test
    void aLatentCacheIsSizedByItsEntries() {
        KvCacheSpec latent = new KvCacheSpec(61, 1, 512 + 64, 0, 32, 10, DType.BF16);
        // DeepSeek-V3's HF cache: per head keys of qk_head_dim 192 and values of v_head_dim 128
        KvCacheSpec full = new KvCacheSpec(61, 128, 192, 128, 32, 10, DType.BF16);
        assertEquals(2L * 576, latent.bytesPerToken() / 61);                 // 1152 bytes per token and layer
        assertEquals(2L * 128 * (192 + 128), full.bytesPerToken() / 61);    // 81920
        assertEquals(10L * 32 * 61 * 576 * 2, latent.byteSize());
        try (PagedKvCache cache = device.allocateKvCache(new KvCacheSpec(2, 1, 6, 0, 4, 3, DType.F32))) {
            assertEquals(java.util.List.of(3, 4, 1, 6), java.util.Arrays.stream(cache.keys(1).shape()).boxed().toList());
        }
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
}
