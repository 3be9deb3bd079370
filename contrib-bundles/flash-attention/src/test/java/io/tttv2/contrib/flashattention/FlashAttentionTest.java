package io.tttv2.contrib.flashattention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import io.tttv2.core.modules.attention.SdpaAttentionFactory;
import io.tttv2.core.modules.rotary.RotaryEmbeddingFactory;
import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole module: {@link FlashAttention} and the core's {@code tttv2/attention/sdpa} built from the same
 * random weights (in each weight dtype) must agree, in a chunked prefill and then batched decode steps,
 * for each variant the Llama family needs (GQA, window, q/k/v and output biases, per-head q/k norm) —
 * the core attention being itself checked against HF by the fixtures.
 */
class FlashAttentionTest {

    private static final double TOLERANCE = 1e-4;
    private static CpuDevice device;

    @BeforeAll
    static void device() {
        device = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        device.close();
    }

    enum Variant {
        LLAMA_GQA(AttentionSpec.of(32, 4, 2, 8)),
        MISTRAL_WINDOW(new AttentionSpec(32, 4, 2, 8, false, false, AttentionSpec.QkNorm.NONE, null, 5, 0f, 0.35f)),
        QWEN2_BIASES(new AttentionSpec(32, 4, 1, 8, true, true, AttentionSpec.QkNorm.NONE, null, 0, 0f, 0.35f)),
        QWEN3_QK_NORM(new AttentionSpec(32, 4, 2, 8, false, false, AttentionSpec.QkNorm.PER_HEAD,
                NormSpec.rms(8, 1e-6f), 0, 0f, 0.35f)),
        OLMO2_FULL_NORM_SOFTCAP(new AttentionSpec(32, 4, 4, 8, false, false, AttentionSpec.QkNorm.FULL,
                NormSpec.rms(32, 1e-6f), 0, 3f, 0.35f));

        final AttentionSpec spec;

        Variant(AttentionSpec spec) {
            this.spec = spec;
        }
    }

    private static Map<String, Tensor> weights(AttentionSpec spec, DType dtype, Random random) {
        int h = spec.hidden();
        int q = spec.heads() * spec.headDim();
        int kv = spec.kvHeads() * spec.headDim();
        Map<String, Tensor> w = new HashMap<>();
        w.put("q_proj.weight", random(dtype, random, 0.3, 0, q, h));
        w.put("k_proj.weight", random(dtype, random, 0.3, 0, kv, h));
        w.put("v_proj.weight", random(dtype, random, 0.3, 0, kv, h));
        w.put("o_proj.weight", random(dtype, random, 0.3, 0, h, q));
        w.put("q_proj.bias", random(dtype, random, 0.3, 0, q));
        w.put("k_proj.bias", random(dtype, random, 0.3, 0, kv));
        w.put("v_proj.bias", random(dtype, random, 0.3, 0, kv));
        w.put("o_proj.bias", random(dtype, random, 0.3, 0, h));
        boolean full = spec.qkNorm() == AttentionSpec.QkNorm.FULL;
        w.put("q_norm.weight", random(dtype, random, 0.1, 1, full ? q : spec.headDim()));
        w.put("k_norm.weight", random(dtype, random, 0.1, 1, full ? kv : spec.headDim()));
        return w;
    }

    private static Tensor random(DType dtype, Random random, double std, double mean, int... shape) {
        Tensor t = Tensor.allocate(Arena.ofAuto(), dtype, shape);
        float[] values = new float[Math.toIntExact(t.elementCount())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (mean + std * random.nextGaussian());
        }
        Tensor f = Tensor.of(values, shape);
        device.ops().copy(f, t);
        return t;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void agreesWithTheCoreAttentionInChunkedPrefillAndBatchedDecode(Variant variant) {
        for (DType dtype : new DType[] {DType.F32, DType.BF16}) {
            AttentionSpec spec = variant.spec;
            Random random = new Random(variant.ordinal() * 31L + dtype.ordinal());
            MapWeights weights = new MapWeights(weights(spec, dtype, random));
            Rotary rotary = new RotaryEmbeddingFactory().create(new RotarySpec(spec.headDim(), spec.headDim(),
                    RopeScaling.unscaled(10000), 128, RotaryStyle.HALF), device);
            ModuleConfig config = new ModuleConfig(4, 8);       // prefill chunks of 8: a 19-token prompt takes 3
            Attention flash = new FlashAttentionFactory().create(spec, config, weights, rotary, 0, device);
            Attention core = new SdpaAttentionFactory().create(spec, config, weights, rotary, 0, device);

            int[] prompts = {19, 3};
            KvCacheSpec cacheSpec = new KvCacheSpec(1, spec.kvHeads(), spec.headDim(), 4, 64, DType.F32);
            try (PagedKvCache flashCache = device.allocateKvCache(cacheSpec);
                 PagedKvCache coreCache = device.allocateKvCache(cacheSpec)) {
                BlockTable[] flashTables = new BlockTable[prompts.length];
                BlockTable[] coreTables = new BlockTable[prompts.length];
                for (int b = 0; b < prompts.length; b++) {
                    Tensor x = random(DType.F32, random, 1, 0, prompts[b], spec.hidden());
                    flashTables[b] = flashCache.newSequence();
                    coreTables[b] = coreCache.newSequence();
                    flashTables[b].reserve(prompts[b] + 4);
                    coreTables[b].reserve(prompts[b] + 4);
                    Tensor expected = Tensor.allocate(Arena.ofAuto(), DType.F32, prompts[b], spec.hidden());
                    Tensor actual = Tensor.allocate(Arena.ofAuto(), DType.F32, prompts[b], spec.hidden());
                    core.prefill(x, new PrefillStep(coreCache, coreTables[b], 0), expected);
                    flash.prefill(x, new PrefillStep(flashCache, flashTables[b], 0), actual);
                    assertClose(expected, actual, variant + " " + dtype + " prefill of sequence " + b);
                }
                for (int step = 0; step < 4; step++) {
                    int[] positions = {prompts[0] + step, prompts[1] + step};
                    Tensor x = random(DType.F32, random, 1, 0, 2, spec.hidden());
                    Tensor expected = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, spec.hidden());
                    Tensor actual = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, spec.hidden());
                    core.decode(x, new DecodeStep(coreCache, coreTables, positions.clone()), expected);
                    flash.decode(x, new DecodeStep(flashCache, flashTables, positions.clone()), actual);
                    assertClose(expected, actual, variant + " " + dtype + " decode step " + step);
                }
            }
        }
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], TOLERANCE * Math.max(1, Math.abs(e[i])), what + ", element " + i);
        }
    }
}
