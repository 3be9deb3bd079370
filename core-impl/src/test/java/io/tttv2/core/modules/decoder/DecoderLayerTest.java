package io.tttv2.core.modules.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.MixedStep;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.attention.AttentionCaseAccess;
import io.tttv2.core.modules.mlp.GatedMlp;
import io.tttv2.core.modules.norm.RmsNorm;
import io.tttv2.core.modules.testing.Compare;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import io.tttv2.core.modules.testing.Sequences;
import io.tttv2.core.modules.testing.TestDevices;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every residual pattern against a float64 reference built from the same parts, in prefill and decode. */
class DecoderLayerTest {

    private static final int HIDDEN = 64;
    private static final int INTERMEDIATE = 96;
    private static final double EPS = 1e-6;

    private final Device device = TestDevices.cpu();

    /** Random parts for a pattern, their modules and the float64 reference of the layer. */
    private final class LayerCase {
        final ResidualPattern pattern;
        final RandomTensors random;
        final AttentionCaseAccess attention;
        final Map<String, Tensor> mlpWeights;
        final Tensor inputNorm;
        final Tensor postAttentionNorm;
        final Tensor preFeedforwardNorm;
        final Tensor postFeedforwardNorm;

        LayerCase(ResidualPattern pattern, DType dtype, long seed) {
            this.pattern = pattern;
            this.random = new RandomTensors(seed, dtype);
            this.attention = AttentionCaseAccess.llama(dtype, seed + 1);
            this.mlpWeights = Map.of("gate_proj.weight", random.matrix(INTERMEDIATE, HIDDEN),
                    "up_proj.weight", random.matrix(INTERMEDIATE, HIDDEN),
                    "down_proj.weight", random.matrix(HIDDEN, INTERMEDIATE));
            this.inputNorm = random.normScale(HIDDEN);
            this.postAttentionNorm = random.normScale(HIDDEN);
            this.preFeedforwardNorm = random.normScale(HIDDEN);
            this.postFeedforwardNorm = random.normScale(HIDDEN);
        }

        private Norm norm(Tensor w) {
            return new RmsNorm(NormSpec.rms(HIDDEN, (float) EPS), ModuleConfig.defaults(),
                    MapWeights.of(Map.of("weight", w)), device);
        }

        DecoderLayer build(ModuleConfig config) {
            Attention attn = attention.build(device, config, 0);
            Mlp mlp = new GatedMlp(new MlpSpec(HIDDEN, INTERMEDIATE, Activation.SILU, true, false), config,
                    MapWeights.of(mlpWeights), device);
            DecoderLayerParts parts = switch (pattern) {
                case PRE_NORM, PARALLEL -> new DecoderLayerParts(norm(inputNorm), attn, norm(postAttentionNorm),
                        null, null, mlp);
                case PRE_AND_POST_NORM -> new DecoderLayerParts(norm(inputNorm), attn, norm(postAttentionNorm),
                        norm(preFeedforwardNorm), norm(postFeedforwardNorm), mlp);
                case POST_NORM -> new DecoderLayerParts(null, attn, norm(postAttentionNorm), null,
                        norm(postFeedforwardNorm), mlp);
            };
            return new ResidualDecoderLayerFactory().create(new DecoderLayerSpec(HIDDEN, pattern), config, parts, device);
        }

        private double[] norm(double[] x, Tensor w) {
            return Reference.rmsNorm(x, HIDDEN, w, EPS, 0);
        }

        private double[] mlp(double[] x, int t) {
            return Reference.mlp(x, t, "silu", mlpWeights.get("gate_proj.weight"), null,
                    mlpWeights.get("up_proj.weight"), null, mlpWeights.get("down_proj.weight"), null);
        }

        /** The layer output of x [t, hidden] at positions 0 .. t-1. */
        double[] reference(double[] x, int t) {
            return switch (pattern) {
                case PRE_NORM -> {
                    double[] h = Reference.add(x, attention.reference(norm(x, inputNorm), t));
                    yield Reference.add(h, mlp(norm(h, postAttentionNorm), t));
                }
                case PRE_AND_POST_NORM -> {
                    double[] a = norm(attention.reference(norm(x, inputNorm), t), postAttentionNorm);
                    double[] h = Reference.add(x, a);
                    double[] m = norm(mlp(norm(h, preFeedforwardNorm), t), postFeedforwardNorm);
                    yield Reference.add(h, m);
                }
                case POST_NORM -> {
                    double[] h = Reference.add(x, norm(attention.reference(x, t), postAttentionNorm));
                    yield Reference.add(h, norm(mlp(h, t), postFeedforwardNorm));
                }
                case PARALLEL -> {
                    double[] a = attention.reference(norm(x, inputNorm), t);
                    double[] m = mlp(norm(x, postAttentionNorm), t);
                    yield Reference.add(Reference.add(m, a), x);
                }
            };
        }
    }

    @ParameterizedTest
    @EnumSource(ResidualPattern.class)
    void prefillMatchesReference(ResidualPattern pattern) {
        for (DType dtype : new DType[] {DType.F32, DType.BF16}) {
            LayerCase c = new LayerCase(pattern, dtype, 61);
            DecoderLayer layer = c.build(ModuleConfig.defaults());
            Tensor x = c.random.activation(10, HIDDEN);
            Sequences seqs = new Sequences(device, 1, 2, 16);
            BlockTable table = seqs.newSequence();
            Tensor out = RandomTensors.zeros(10, HIDDEN);
            layer.prefill(x, seqs.prefill(table, 0, 10), out);
            Compare.assertClose(pattern + " prefill " + dtype, c.reference(Reference.values(x), 10), out);
        }
    }

    @ParameterizedTest
    @EnumSource(ResidualPattern.class)
    void chunkedInPlacePrefillThenDecodeMatchReference(ResidualPattern pattern) {
        LayerCase c = new LayerCase(pattern, DType.F32, 62);
        DecoderLayer layer = c.build(new ModuleConfig(2, 4));
        Tensor x = c.random.activation(11, HIDDEN);
        double[] expected = c.reference(Reference.values(x), 11);
        Sequences seqs = new Sequences(device, 1, 2, 16);
        BlockTable table = seqs.newSequence();
        Tensor prompt = RandomTensors.zeros(10, HIDDEN);
        prompt.copyFrom(x.slice(0, 0, 10).toFloatArray());
        layer.prefill(prompt, seqs.prefill(table, 0, 10), prompt);      // chunks 4, 4, 2; out is x
        Compare.assertClose(pattern + " chunked in-place prefill", Reference.rows(expected, HIDDEN, 0, 10), prompt);
        Sequences.done(table, 10);
        Tensor token = RandomTensors.zeros(1, HIDDEN);
        token.copyFrom(x.slice(0, 10, 1).toFloatArray());
        layer.decode(token, seqs.decode(table), token);
        Compare.assertClose(pattern + " decode", Reference.rows(expected, HIDDEN, 10, 1), token);
    }

    /**
     * A mixed step: sequence A's ninth token (a decode after an 8-token prefill) and sequence B's whole 7-token
     * prompt in one call of 8 rows. With prefillChunk 4 the step runs in two chunks and B's run is split across
     * them; every row must equal its sequence's reference.
     */
    @ParameterizedTest
    @EnumSource(ResidualPattern.class)
    void mixedStepOfADecodeAndAPromptMatchesReference(ResidualPattern pattern) {
        LayerCase c = new LayerCase(pattern, DType.F32, 64);
        DecoderLayer layer = c.build(new ModuleConfig(2, 4));
        Tensor xa = c.random.activation(9, HIDDEN);
        Tensor xb = c.random.activation(7, HIDDEN);
        Sequences seqs = new Sequences(device, 1, 2, 16, 4, 16);
        BlockTable a = seqs.newSequence();
        BlockTable b = seqs.newSequence();
        Tensor prompt = RandomTensors.zeros(8, HIDDEN);
        prompt.copyFrom(xa.slice(0, 0, 8).toFloatArray());
        layer.prefill(prompt, seqs.prefill(a, 0, 8), prompt);
        Sequences.done(a, 8);

        Tensor rows = RandomTensors.zeros(8, HIDDEN);                   // [A's token 8, B's tokens 0..6]
        rows.slice(0, 0, 1).copyFrom(xa.slice(0, 8, 1).toFloatArray());
        rows.slice(0, 1, 7).copyFrom(xb.toFloatArray());
        a.reserve(9);
        b.reserve(7);
        BlockTable[] tables = {a, b, b, b, b, b, b, b};
        int[] positions = {8, 0, 1, 2, 3, 4, 5, 6};
        Tensor out = RandomTensors.zeros(8, HIDDEN);
        layer.step(rows, new MixedStep(seqs.cache(), tables, positions), out);
        Compare.assertClose(pattern + " step: A's decode row",
                Reference.rows(c.reference(Reference.values(xa), 9), HIDDEN, 8, 1), out.slice(0, 0, 1));
        Compare.assertClose(pattern + " step: B's prompt rows", c.reference(Reference.values(xb), 7), out.slice(0, 1, 7));
    }

    @Test
    void missingPartsAreNamed() {
        LayerCase c = new LayerCase(ResidualPattern.PRE_AND_POST_NORM, DType.F32, 63);
        Attention attn = c.attention.build(device, ModuleConfig.defaults(), 0);
        Mlp mlp = new GatedMlp(new MlpSpec(HIDDEN, INTERMEDIATE, Activation.SILU, true, false), ModuleConfig.defaults(),
                MapWeights.of(c.mlpWeights), device);
        Norm n = c.norm(c.inputNorm);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ResidualDecoderLayerFactory().create(
                        new DecoderLayerSpec(HIDDEN, ResidualPattern.PRE_AND_POST_NORM), ModuleConfig.defaults(),
                        new DecoderLayerParts(n, attn, n, null, n, mlp), device));
        assertTrue(e.getMessage().contains("pre_feedforward_layernorm"), e.getMessage());
        DecoderLayer layer = new ResidualDecoderLayerFactory().create(new DecoderLayerSpec(HIDDEN, ResidualPattern.PRE_NORM),
                ModuleConfig.defaults(), new DecoderLayerParts(n, attn, n, null, null, mlp), device);
        assertEquals(ResidualDecoderLayerFactory.NAME, layer.candidate());
    }
}
