package io.tttv2.testing.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.EncoderAttention;
import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.EncoderLayer;
import io.tttv2.api.modules.EncoderLayerParts;
import io.tttv2.api.modules.EncoderLayerSpec;
import io.tttv2.api.modules.EncoderLayerSpec.EncoderResidual;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.EncoderAttentionFactory;
import io.tttv2.api.modules.ModuleFactories.EncoderLayerFactory;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.ModuleFactories.PoolerFactory;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PaddingMask;
import io.tttv2.api.modules.PoolerSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.encoder.BatchEncoderAttention;
import io.tttv2.core.modules.encoder.BatchEncoderAttentionFactory;
import io.tttv2.core.modules.encoder.ResidualEncoderLayerFactory;
import io.tttv2.core.modules.mlp.GatedMlpFactory;
import io.tttv2.core.modules.mlp.PlainMlpFactory;
import io.tttv2.core.modules.norm.LayerNormFactory;
import io.tttv2.core.modules.norm.RmsNormFactory;
import io.tttv2.core.modules.pooler.TanhPoolerFactory;
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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The encoder kinds (encoder attention, encoder layer, pooler) through the validating decorator around
 * core-impl's candidates, against their float64 references, on a padded batch with an additive bias; an
 * attention that ignores the padding mask fails.
 */
class EncoderKindsTest {

    private static final int HIDDEN = 32;
    private static final int HEADS = 4;
    private static final int D = 8;
    private static final int INTERMEDIATE = 48;
    private static final int B = 3;
    private static final int T = 7;

    private final ValidationRegistry registry = new ValidationRegistry();
    private final Device device = TestDevice.cpu();
    private final Random random = new Random(11);
    private final Map<String, Tensor> tensors = new HashMap<>();
    private final Weights weights = new MapWeights(tensors);
    private final PaddingMask mask = PaddingMask.rightPadded(T, 7, 4, 1);

    EncoderKindsTest() {
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

    private void put(String name, int... shape) {
        tensors.put(name, random(shape));
    }

    private static AttentionSpec attentionSpec(boolean biases, float scaling) {
        return new AttentionSpec(HIDDEN, HEADS, HEADS, D, biases, biases, AttentionSpec.QkNorm.NONE, null, 0, 0f, scaling);
    }

    private void attentionWeights(String prefix, boolean biases) {
        for (String p : new String[] {"q_proj", "k_proj", "v_proj"}) {
            put(prefix + p + ".weight", HEADS * D, HIDDEN);
            if (biases) {
                put(prefix + p + ".bias", HEADS * D);
            }
        }
        put(prefix + "o_proj.weight", HIDDEN, HEADS * D);
        if (biases) {
            put(prefix + "o_proj.bias", HIDDEN);
        }
    }

    private EncoderAttention attention(EncoderAttentionFactory factory, EncoderAttentionSpec spec) {
        return ((EncoderAttentionFactory) ValidatingFactories.wrap(ModuleKind.ENCODER_ATTENTION, factory, registry))
                .create(spec, ModuleConfig.defaults(), weights.scoped("attn"), device);
    }

    @ParameterizedTest
    @EnumSource(EncoderResidual.class)
    void layerAndItsPartsMatchTheReferences(EncoderResidual pattern) {
        boolean bert = pattern == EncoderResidual.NORM_AFTER_RESIDUAL;
        attentionWeights("attn.", bert);
        put("norm1.weight", HIDDEN);
        put("norm1.bias", HIDDEN);
        put("norm2.weight", HIDDEN);
        put("norm2.bias", HIDDEN);
        put("mlp.gate_proj.weight", INTERMEDIATE, HIDDEN);
        put("mlp.up_proj.weight", INTERMEDIATE, HIDDEN);
        put("mlp.up_proj.bias", INTERMEDIATE);
        put("mlp.down_proj.weight", HIDDEN, INTERMEDIATE);
        put("mlp.down_proj.bias", HIDDEN);
        NormSpec normSpec = bert ? new NormSpec(HIDDEN, NormSpec.NormKind.LAYER, 1e-12f, 0f, true)
                : NormSpec.rms(HIDDEN, 1e-6f);
        NormFactory norms = (NormFactory) ValidatingFactories.wrap(ModuleKind.NORM,
                bert ? new LayerNormFactory() : new RmsNormFactory(), registry);
        MlpSpec mlpSpec = bert ? new MlpSpec(HIDDEN, INTERMEDIATE, Activation.GELU, false, true)
                : new MlpSpec(HIDDEN, INTERMEDIATE, Activation.GELU_TANH, true, false);
        MlpFactory mlps = (MlpFactory) ValidatingFactories.wrap(ModuleKind.MLP,
                bert ? new PlainMlpFactory() : new GatedMlpFactory(), registry);
        EncoderAttentionSpec attentionSpec = EncoderAttentionSpec.bidirectional(
                attentionSpec(bert, bert ? (float) (1 / Math.sqrt(D)) : 1f));
        EncoderLayerParts parts = new EncoderLayerParts(attention(new BatchEncoderAttentionFactory(), attentionSpec),
                norms.create(normSpec, weights.scoped("norm1"), device),
                mlps.create(mlpSpec, ModuleConfig.defaults(), weights.scoped("mlp"), device),
                norms.create(normSpec, weights.scoped("norm2"), device));
        EncoderLayer layer = ((EncoderLayerFactory) ValidatingFactories.wrap(ModuleKind.ENCODER_LAYER,
                new ResidualEncoderLayerFactory(), registry))
                .create(new EncoderLayerSpec(HIDDEN, pattern), ModuleConfig.defaults(), parts, device);
        Tensor x = random(B, T, HIDDEN);
        Tensor bias = bert ? null : random(HEADS, T, T);
        layer.forward(x, mask, bias);
        layer.forward(x, mask, bias);

        var summary = registry.summary();
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(2, summary.ofKind(ModuleKind.ENCODER_LAYER).get(0).calls());
        assertEquals(2, summary.ofKind(ModuleKind.ENCODER_ATTENTION).get(0).calls());
    }

    @Test
    void poolerMatchesTheReference() {
        put("pooler.dense.weight", HIDDEN, HIDDEN);
        put("pooler.dense.bias", HIDDEN);
        var pooler = ((PoolerFactory) ValidatingFactories.wrap(ModuleKind.POOLER, new TanhPoolerFactory(), registry))
                .create(new PoolerSpec(HIDDEN), ModuleConfig.defaults(), weights.scoped("pooler"), device);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, B, HIDDEN);
        pooler.forward(random(B, T, HIDDEN), out);
        var summary = registry.summary();
        assertTrue(summary.passed(), () -> summary.failingModules().toString());
        assertEquals(1, summary.ofKind(ModuleKind.POOLER).get(0).calls());
    }

    @Test
    void anAttentionThatIgnoresThePaddingFails() {
        attentionWeights("attn.", true);
        EncoderAttentionFactory ignoresMask = (spec, config, w, d) -> {
            EncoderAttention real = new BatchEncoderAttention(spec, config, w, d);
            return new EncoderAttention() {
                public void forward(Tensor x, PaddingMask m, Tensor bias, Tensor out) {
                    real.forward(x, PaddingMask.none(m.batch(), m.length()), bias, out);
                }

                public String candidate() {
                    return "test/encoder-attention/ignores-padding";
                }

                public Record spec() {
                    return real.spec();
                }

                public Record config() {
                    return real.config();
                }
            };
        };
        EncoderAttention attention = attention(ignoresMask,
                EncoderAttentionSpec.bidirectional(attentionSpec(true, (float) (1 / Math.sqrt(D)))));
        Tensor x = random(B, T, HIDDEN);
        attention.forward(x, mask, null, Tensor.allocate(Arena.ofAuto(), DType.F32, B, T, HIDDEN));
        assertFalse(registry.summary().passed(), "attention over padding passed validation");
    }
}
