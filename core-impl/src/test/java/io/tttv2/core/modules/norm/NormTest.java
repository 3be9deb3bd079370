package io.tttv2.core.modules.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.testing.Compare;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import io.tttv2.core.modules.testing.TestDevices;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RMSNorm (plain and Gemma's (1 + w)) and LayerNorm (with and without bias) against float64. */
class NormTest {

    private final Device device = TestDevices.cpu();

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void rmsNormMatchesReference(DType dtype) {
        RandomTensors random = new RandomTensors(21, dtype);
        Tensor w = random.normScale(64);
        Norm norm = new RmsNormFactory().create(NormSpec.rms(64, 1e-6f), MapWeights.of(Map.of("weight", w)), device);
        Tensor x = random.activation(7, 64);
        Tensor out = RandomTensors.zeros(7, 64);
        norm.prefill(x, out);
        double[] expected = Reference.rmsNorm(Reference.values(x), 64, w, 1e-6, 0);
        Compare.assertClose("rms prefill", expected, out);
        Tensor row = RandomTensors.zeros(2, 64);
        norm.decode(x.slice(0, 3, 2), row);
        Compare.assertClose("rms decode", Reference.rows(expected, 64, 3, 2), row);
        norm.prefill(x, x);     // out may be x
        Compare.assertClose("rms in place", expected, x);
        assertEquals(RmsNormFactory.NAME, norm.candidate());
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void gemmaOnePlusWeightNormMatchesReference(DType dtype) {
        RandomTensors random = new RandomTensors(22, dtype);
        Tensor w = random.weight(0, 0.1, 64);      // Gemma stores w around 0 and scales by (1 + w)
        NormSpec spec = new NormSpec(64, NormSpec.NormKind.RMS, 1e-6f, 1f, false);
        Norm norm = new RmsNormFactory().create(spec, MapWeights.of(Map.of("weight", w)), device);
        Tensor x = random.activation(5, 64);
        Tensor out = RandomTensors.zeros(5, 64);
        norm.prefill(x, out);
        Compare.assertClose("gemma norm", Reference.rmsNorm(Reference.values(x), 64, w, 1e-6, 1), out);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void layerNormWithBiasMatchesReference(DType dtype) {
        RandomTensors random = new RandomTensors(23, dtype);
        Tensor w = random.normScale(48);
        Tensor b = random.matrix(48);
        NormSpec spec = new NormSpec(48, NormSpec.NormKind.LAYER, 1e-5f, 0f, true);
        Norm norm = new LayerNormFactory().create(spec, MapWeights.of(Map.of("weight", w, "bias", b)), device);
        Tensor x = random.activation(6, 48);
        Tensor out = RandomTensors.zeros(6, 48);
        norm.prefill(x, out);
        Compare.assertClose("layer norm", Reference.layerNorm(Reference.values(x), 48, w, b, 1e-5), out);
        assertEquals(LayerNormFactory.NAME, norm.candidate());
    }

    @Test
    void layerNormWithoutBiasMatchesReference() {
        RandomTensors random = new RandomTensors(24, DType.F32);
        Tensor w = random.normScale(32);
        NormSpec spec = new NormSpec(32, NormSpec.NormKind.LAYER, 1e-5f, 0f, false);
        Norm norm = new LayerNormFactory().create(spec, MapWeights.of(Map.of("weight", w)), device);
        Tensor x = random.activation(3, 32);
        Tensor out = RandomTensors.zeros(3, 32);
        norm.decode(x, out);
        Compare.assertClose("layer norm, no bias", Reference.layerNorm(Reference.values(x), 32, w, null, 1e-5), out);
    }

    @Test
    void factoriesRefuseTheOtherKindAndWrongShapes() {
        RandomTensors random = new RandomTensors(25, DType.F32);
        MapWeights weights = MapWeights.of(Map.of("weight", random.normScale(32)));
        NormSpec layer = new NormSpec(32, NormSpec.NormKind.LAYER, 1e-5f, 0f, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RmsNormFactory().create(layer, weights, device));
        assertTrue(e.getMessage().contains("LAYER"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RmsNormFactory().create(NormSpec.rms(64, 1e-6f), weights, device));
        assertTrue(e.getMessage().contains("'weight'") && e.getMessage().contains("[32]")
                && e.getMessage().contains("[64]"), e.getMessage());
    }
}
