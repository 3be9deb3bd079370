package io.tttv2.testing.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.AttentionBackendFactory;
import io.tttv2.api.modules.ModuleFactories.PositionEmbeddingFactory;
import io.tttv2.api.modules.PositionEmbedding;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.backend.SdpaAttentionBackend;
import io.tttv2.core.modules.backend.SdpaAttentionBackendFactory;
import io.tttv2.core.modules.position.LearnedPositionEmbedding;
import io.tttv2.core.modules.position.LearnedPositionEmbeddingFactory;
import io.tttv2.testing.support.Factories;
import io.tttv2.testing.support.MapWeights;
import io.tttv2.testing.support.TestDevice;
import io.tttv2.testing.validating.ValidatingFactories;
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
 * The attention backend and the learned position embedding through the validating decorator around core-impl's
 * candidates, against their float64 references; a deliberately wrong implementation of each fails; and an
 * attention without rotary (GPT-2) validates with its backend as a part.
 */
class NewKindsTest {

    private static final int HEADS = 4;
    private static final int D = 8;
    private static final int HIDDEN = 24;

    private final ValidationRegistry registry = enabled(new ValidationRegistry());
    private final Factories core = Factories.core().decoratedBy(new ValidatingFactoryDecorator(registry));
    private final Device device = TestDevice.cpu();
    private final Random random = new Random(5);
    private final Map<String, Tensor> tensors = new HashMap<>();

    private static ValidationRegistry enabled(ValidationRegistry registry) {
        registry.enable();
        return registry;
    }

    private static AttentionBackendSpec backendSpec(String variant) {
        int kvHeads = switch (variant) {
            case "mha" -> HEADS;
            case "mqa" -> 1;
            default -> 2;
        };
        int window = variant.equals("window") ? 3 : 0;
        float softcap = variant.equals("softcap") ? 2f : 0f;
        float scale = variant.equals("softcap") ? 1f : (float) (1 / Math.sqrt(D));
        return new AttentionBackendSpec(HEADS, kvHeads, D, new AttentionParams(scale, true, window, softcap));
    }

    /** Fills two sequences of 9 and 4 tokens, prefills the first from 0 and from 5, decodes both once. */
    private void exercise(AttentionBackend backend, AttentionBackendSpec spec, DType cacheType) {
        int kv = spec.kvHeads();
        try (PagedKvCache cache = device.allocateKvCache(KvCacheSpec.forHeads(1, kv, D, 4, 16, cacheType))) {
            BlockTable[] tables = {cache.newSequence(), cache.newSequence()};
            int[] lengths = {9, 4};
            for (int b = 0; b < 2; b++) {
                tables[b].reserve(lengths[b] + 1);
                device.ops().writeKv(cache, 0, tables[b], 0, random(lengths[b] + 1, kv, D),
                        random(lengths[b] + 1, kv, D));
            }
            backend.prefill(random(9, HEADS, D), cache, 0, tables[0], 0, random(9, HEADS, D));
            backend.prefill(random(4, HEADS, D), cache, 0, tables[0], 5, random(4, HEADS, D));
            backend.decode(random(2, HEADS, D), cache, 0, tables, new int[] {9, 4}, random(2, HEADS, D));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gqa", "mha", "mqa", "window", "softcap", "bf16-cache"})
    void attentionBackendVariantsMatchTheReference(String variant) {
        AttentionBackendSpec spec = backendSpec(variant);
        AttentionBackend backend = core.backend().create(spec, ModuleConfig.defaults(), device);
        exercise(backend, spec, variant.equals("bf16-cache") ? DType.BF16 : DType.F32);
        ValidationSummary summary = registry.summary();
        assertEquals(1, summary.modules().size(), summary.modules().toString());
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(3, summary.ofKind(ModuleKind.ATTENTION_BACKEND).get(0).calls());
    }

    @ParameterizedTest
    @ValueSource(strings = {"window", "softcap"})
    void aBackendThatIgnoresTheWindowOrTheCapFails(String variant) {
        AttentionBackendSpec spec = backendSpec(variant);
        AttentionParams p = spec.params();
        // the bug: the backend is built with plain causal parameters whatever the spec says
        AttentionBackendFactory wrong = (s, config, d) -> new SdpaAttentionBackend(new AttentionBackendSpec(s.heads(),
                s.kvHeads(), s.headDim(), new AttentionParams(p.scale(), true, 0, 0f)), config, d);
        AttentionBackendFactory validated = (AttentionBackendFactory) ValidatingFactories.wrap(
                ModuleKind.ATTENTION_BACKEND, wrong, registry);
        exercise(validated.create(spec, ModuleConfig.defaults(), device), spec, DType.F32);
        assertFalse(registry.summary().passed(), variant + " ignored, yet validation passed");
    }

    private PositionEmbedding positionEmbedding(PositionEmbeddingFactory factory, DType dtype) {
        Tensor weight = random(40, HIDDEN);
        if (dtype == DType.BF16) {
            Tensor bf16 = Tensor.allocate(Arena.ofAuto(), DType.BF16, 40, HIDDEN);
            device.ops().copy(weight, bf16);
            weight = bf16;
        }
        tensors.put("wpe.weight", weight);
        return factory.create(new PositionEmbeddingSpec(40, HIDDEN), new ModuleConfig(2, 4),
                new MapWeights(tensors).scoped("wpe"), device);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void positionEmbeddingMatchesTheReference(DType dtype) {
        PositionEmbeddingFactory factory = (PositionEmbeddingFactory) ValidatingFactories.wrap(
                ModuleKind.POSITION_EMBEDDING, new LearnedPositionEmbeddingFactory(), registry);
        PositionEmbedding wpe = positionEmbedding(factory, dtype);
        wpe.prefill(random(11, HIDDEN), 0);             // chunks of 4, 4, 3
        wpe.prefill(random(3, HIDDEN), 37);
        wpe.decode(random(2, HIDDEN), new int[] {11, 39});
        ValidationSummary summary = registry.summary();
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(3, summary.ofKind(ModuleKind.POSITION_EMBEDDING).get(0).calls());
    }

    @Test
    void aPositionEmbeddingOffByOneFails() {
        // the bug: decode adds the row of the next position (a 1-based position count)
        PositionEmbeddingFactory offByOne = (spec, config, weights, d) -> {
            PositionEmbedding real = new LearnedPositionEmbedding(spec, config, weights, d);
            return new PositionEmbedding() {
                public void prefill(Tensor x, int start) {
                    real.prefill(x, start + 1);
                }

                public void decode(Tensor x, int[] positions) {
                    real.decode(x, positions);
                }

                public String candidate() {
                    return "test/position-embedding/off-by-one";
                }

                public Record spec() {
                    return real.spec();
                }

                public Record config() {
                    return real.config();
                }
            };
        };
        PositionEmbedding wpe = positionEmbedding((PositionEmbeddingFactory) ValidatingFactories.wrap(
                ModuleKind.POSITION_EMBEDDING, offByOne, registry), DType.F32);
        wpe.prefill(random(5, HIDDEN), 0);
        assertFalse(registry.summary().passed(), "an off-by-one position passed validation");
    }

    @Test
    void attentionWithoutRotaryValidatesWithItsBackendAsAPart() {
        int kvHeads = 2;
        AttentionSpec spec = new AttentionSpec(HIDDEN, HEADS, kvHeads, D, true, true, AttentionSpec.QkNorm.NONE, null,
                0, 0f, (float) (1 / Math.sqrt(D)));
        for (String p : new String[] {"q_proj", "k_proj", "v_proj"}) {
            int rows = p.equals("q_proj") ? HEADS * D : kvHeads * D;
            tensors.put("attn." + p + ".weight", scaled(random(rows, HIDDEN), 0.2f));
            tensors.put("attn." + p + ".bias", random(rows));
        }
        tensors.put("attn.o_proj.weight", scaled(random(HIDDEN, HEADS * D), 0.2f));
        tensors.put("attn.o_proj.bias", random(HIDDEN));
        ModuleConfig config = new ModuleConfig(2, 4);
        Attention attention = core.attention(spec, config, new MapWeights(tensors).scoped("attn"), null, 0, device);
        try (PagedKvCache cache = device.allocateKvCache(KvCacheSpec.forHeads(1, kvHeads, D, 4, 16, DType.F32))) {
            BlockTable table = cache.newSequence();
            table.reserve(7);
            attention.prefill(random(6, HIDDEN), new PrefillStep(cache, table, 0), random(6, HIDDEN));
            table.setLength(6);
            attention.decode(random(1, HIDDEN), new DecodeStep(cache, new BlockTable[] {table}, new int[] {6}),
                    random(1, HIDDEN));
        }
        ValidationSummary summary = registry.summary();
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(2, summary.ofKind(ModuleKind.ATTENTION).get(0).calls());          // a prefill and a decode
        assertEquals(3, summary.ofKind(ModuleKind.ATTENTION_BACKEND).get(0).calls());  // two chunks and a decode
        List<ValidatedModule> parts = ((ValidatedModule) attention).parts();
        assertEquals(1, parts.size(), "no rotary, one backend");
        assertEquals(SdpaAttentionBackendFactory.NAME, parts.get(0).implementation().candidate());
    }

    @Test
    void devicesAndModelsAreLeftAloneAndAFactoryIsWrappedOnce() {
        Object device = new Object();
        assertEquals(device, ValidatingFactories.wrap(ModuleKind.DEVICE, device, registry));
        assertEquals(device, ValidatingFactories.wrap(ModuleKind.MODEL, device, registry));
        Object wrapped = ValidatingFactories.wrap(ModuleKind.ATTENTION_BACKEND, new SdpaAttentionBackendFactory(),
                registry);
        assertTrue(wrapped instanceof AttentionBackendFactory && wrapped instanceof ValidatingFactories.ValidatingFactory);
        assertEquals(wrapped, ValidatingFactories.wrap(ModuleKind.ATTENTION_BACKEND, wrapped, registry), "not twice");
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
