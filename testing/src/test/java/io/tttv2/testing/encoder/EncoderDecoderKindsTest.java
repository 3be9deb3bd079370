package io.tttv2.testing.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.BiasedAttention;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.ModuleFactories.BiasedAttentionFactory;
import io.tttv2.api.modules.CrossAttention;
import io.tttv2.api.modules.CrossAttentionSpec;
import io.tttv2.api.modules.EncoderMemory;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.CrossAttentionFactory;
import io.tttv2.api.modules.ModuleFactories.RelativePositionBiasFactory;
import io.tttv2.api.modules.RelativePositionBias;
import io.tttv2.api.modules.RelativePositionBiasSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.attention.BiasedCachedAttention;
import io.tttv2.core.modules.attention.BiasedCachedAttentionFactory;
import io.tttv2.core.modules.cross.SdpaCrossAttentionFactory;
import io.tttv2.core.modules.position.BucketedRelativePositionBias;
import io.tttv2.core.modules.position.BucketedRelativePositionBiasFactory;
import io.tttv2.testing.reference.RelativePositionBiasReference;
import io.tttv2.testing.support.MapWeights;
import io.tttv2.testing.support.TestDevice;
import io.tttv2.testing.validating.ValidatingFactories;
import io.tttv2.testing.validation.ValidationRegistry;
import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * T5's relative-position bias and the cross-attention through the validating decorator around core-impl's
 * candidates, against their float64 references: long distances (the log-spaced buckets and the last one), a
 * decode step's row, cross-attention over padded encoder outputs of different lengths by prefill, in chunks,
 * and by decode; a bias that swaps the direction fails.
 */
class EncoderDecoderKindsTest {

    private static final int HIDDEN = 32;
    private static final int HEADS = 4;
    private static final int D = 8;

    private final ValidationRegistry registry = new ValidationRegistry();
    private final Device device = TestDevice.cpu();
    private final Random random = new Random(13);
    private final Map<String, Tensor> tensors = new HashMap<>();
    private final Weights weights = new MapWeights(tensors);

    EncoderDecoderKindsTest() {
        registry.enable();
    }

    private Tensor random(int... shape) {
        Tensor t = Tensor.allocate(Arena.ofAuto(), DType.F32, shape);
        float[] v = new float[(int) t.elementCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian() * 0.3f;
        }
        t.copyFrom(v);
        return t;
    }

    private RelativePositionBias bias(RelativePositionBiasFactory factory, RelativePositionBiasSpec spec) {
        tensors.put("rel.weight", random(spec.numBuckets(), HEADS));
        return ((RelativePositionBiasFactory) ValidatingFactories.wrap(ModuleKind.RELATIVE_POSITION_BIAS, factory,
                registry)).create(spec, ModuleConfig.defaults(), weights.scoped("rel"), device);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void relativePositionBiasMatchesTheReference(boolean bidirectional) {
        RelativePositionBias bias = bias(new BucketedRelativePositionBiasFactory(),
                new RelativePositionBiasSpec(HEADS, 32, 128, bidirectional));
        int tokens = 300;                                       // distances past max_distance: the last bucket
        bias.compute(0, tokens, tokens, Tensor.allocate(Arena.ofAuto(), DType.F32, HEADS, tokens, tokens));
        bias.compute(157, 1, 158, Tensor.allocate(Arena.ofAuto(), DType.F32, HEADS, 1, 158));   // a decode step
        var summary = registry.summary();
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(2, summary.ofKind(ModuleKind.RELATIVE_POSITION_BIAS).get(0).calls());
    }

    @Test
    void bucketsFollowHfsFormula() {
        // HF's T5 buckets for 32 buckets, max distance 128, bidirectional (computed by hand from the formula):
        // keys before the query in 0..15, after it in 16..31; 0..7 exact, 8..15 log-spaced up to 128
        tensors.put("rel.weight", random(32, HEADS));
        RelativePositionBiasReference reference = new RelativePositionBiasReference(
                new RelativePositionBiasSpec(HEADS, 32, 128, true), weights.scoped("rel"));
        assertEquals(0, reference.bucket(0));
        assertEquals(7, reference.bucket(-7));
        assertEquals(23, reference.bucket(7));
        assertEquals(8, reference.bucket(-8));                  // log(1) = 0
        assertEquals(8 + (int) (Math.log(2) / Math.log(16) * 8), reference.bucket(-16));
        assertEquals(15, reference.bucket(-5000));
        assertEquals(31, reference.bucket(5000));
    }

    @Test
    void aBiasWithTheDirectionSwappedFails() {
        RelativePositionBiasFactory swapped = (spec, config, w, d) -> {
            RelativePositionBias real = new BucketedRelativePositionBias(spec, config, w, d);
            return new RelativePositionBias() {
                public void compute(int queryStart, int queries, int keys, Tensor out) {
                    real.compute(queryStart, queries, keys, out);
                    // the bug: out[h, i, j] ← out[h, j, i] (query and key exchanged)
                    float[] v = out.toFloatArray();
                    float[] t = new float[v.length];
                    for (int h = 0; h < HEADS; h++) {
                        for (int i = 0; i < queries; i++) {
                            for (int j = 0; j < keys; j++) {
                                t[(h * queries + i) * keys + j] = v[(h * queries + j) * keys + i];
                            }
                        }
                    }
                    out.copyFrom(t);
                }

                public String candidate() {
                    return "test/relative-position-bias/swapped";
                }

                public Record spec() {
                    return real.spec();
                }

                public Record config() {
                    return real.config();
                }
            };
        };
        RelativePositionBias bias = bias(swapped, new RelativePositionBiasSpec(HEADS, 8, 32, true));
        bias.compute(0, 10, 10, Tensor.allocate(Arena.ofAuto(), DType.F32, HEADS, 10, 10));
        assertFalse(registry.summary().passed(), "a transposed bias passed validation");
    }

    @Test
    void crossAttentionMatchesTheReference() {
        int encoderHidden = 24;
        for (String p : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
            int rows = p.equals("o_proj") ? HIDDEN : p.equals("q_proj") ? HEADS * D : 2 * D;
            int cols = p.equals("o_proj") ? HEADS * D : p.equals("q_proj") ? HIDDEN : encoderHidden;
            tensors.put("cross." + p + ".weight", random(rows, cols));
            tensors.put("cross." + p + ".bias", random(rows));
        }
        AttentionSpec attention = new AttentionSpec(HIDDEN, HEADS, 2, D, true, true, AttentionSpec.QkNorm.NONE, null, 0,
                0f, (float) (1 / Math.sqrt(D)));
        ModuleConfig config = new ModuleConfig(4, 3);           // prefill chunks of 3 rows
        CrossAttention cross = ((CrossAttentionFactory) ValidatingFactories.wrap(ModuleKind.CROSS_ATTENTION,
                new SdpaCrossAttentionFactory(), registry))
                .create(new CrossAttentionSpec(attention, encoderHidden), config, weights.scoped("cross"), device);
        boolean[] padded = {true, true, true, true, true, false, false};
        EncoderMemory first = cross.prepare(random(7, encoderHidden), padded);
        EncoderMemory second = cross.prepare(random(4, encoderHidden), null);
        Tensor x = random(8, HIDDEN);
        cross.prefill(x, first, Tensor.allocate(Arena.ofAuto(), DType.F32, 8, HIDDEN));
        Tensor rows = random(2, HIDDEN);
        cross.decode(rows, new EncoderMemory[] {second, first}, rows);     // in place
        var summary = registry.summary();
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(2, summary.ofKind(ModuleKind.CROSS_ATTENTION).get(0).calls());
    }

    private BiasedAttention biasedAttention(BiasedAttentionFactory factory, AttentionSpec spec) {
        for (String p : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
            int rows = p.equals("o_proj") ? HIDDEN : p.equals("q_proj") ? HEADS * D : spec.kvHeads() * D;
            int cols = p.equals("o_proj") ? HEADS * D : HIDDEN;
            tensors.put("self." + p + ".weight", random(rows, cols));
        }
        return ((BiasedAttentionFactory) ValidatingFactories.wrap(ModuleKind.BIASED_ATTENTION, factory, registry))
                .create(spec, new ModuleConfig(4, 3), weights.scoped("self"), 0, device);
    }

    /** Sequence a prefills 7 tokens (chunks of 3), b 2; then one decode step of both, with their bias rows. */
    private void exercise(BiasedAttention attention) {
        try (PagedKvCache cache = device.allocateKvCache(KvCacheSpec.forHeads(1, 2, D, 4, 16, DType.F32))) {
            BlockTable a = cache.newSequence();
            BlockTable b = cache.newSequence();
            a.reserve(8);
            b.reserve(3);
            attention.prefill(random(7, HIDDEN), new PrefillStep(cache, a, 0), random(HEADS, 7, 7),
                    Tensor.allocate(Arena.ofAuto(), DType.F32, 7, HIDDEN));
            attention.prefill(random(2, HIDDEN), new PrefillStep(cache, b, 0), random(HEADS, 2, 2),
                    Tensor.allocate(Arena.ofAuto(), DType.F32, 2, HIDDEN));
            Tensor rows = random(2, HIDDEN);
            attention.decode(rows, new DecodeStep(cache, new BlockTable[] {a, b}, new int[] {7, 2}),
                    new Tensor[] {random(HEADS, 1, 8), random(HEADS, 1, 3)}, rows);
        }
    }

    @Test
    void biasedAttentionOverTheCacheMatchesTheReference() {
        AttentionSpec spec = new AttentionSpec(HIDDEN, HEADS, 2, D, false, false, AttentionSpec.QkNorm.NONE, null, 0,
                0f, 1f);
        exercise(biasedAttention(new BiasedCachedAttentionFactory(), spec));
        var summary = registry.summary();
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(3, summary.ofKind(ModuleKind.BIASED_ATTENTION).get(0).calls());
    }

    @Test
    void aBiasedAttentionThatDropsTheBiasFails() {
        AttentionSpec spec = new AttentionSpec(HIDDEN, HEADS, 2, D, false, false, AttentionSpec.QkNorm.NONE, null, 0,
                0f, 1f);
        BiasedAttentionFactory dropsBias = (s, config, w, layer, d) -> {
            BiasedAttention real = new BiasedCachedAttention(s, config, w, layer, d);
            return new BiasedAttention() {
                public int layer() {
                    return real.layer();
                }

                public void prefill(Tensor x, PrefillStep step, Tensor bias, Tensor out) {
                    Tensor zeros = Tensor.allocate(Arena.ofAuto(), DType.F32, bias.shape());
                    real.prefill(x, step, zeros, out);
                }

                public void decode(Tensor x, DecodeStep step, Tensor[] biases, Tensor out) {
                    real.decode(x, step, biases, out);
                }

                public String candidate() {
                    return "test/biased-attention/drops-bias";
                }

                public Record spec() {
                    return real.spec();
                }

                public Record config() {
                    return real.config();
                }
            };
        };
        exercise(biasedAttention(dropsBias, spec));
        assertFalse(registry.summary().passed(), "an attention without its bias passed validation");
    }
}
