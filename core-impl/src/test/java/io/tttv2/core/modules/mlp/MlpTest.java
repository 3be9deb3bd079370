package io.tttv2.core.modules.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.testing.Compare;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import io.tttv2.core.modules.testing.TestDevices;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Gated (SwiGLU, GeGLU) and plain MLPs against float64, in prefill (chunked) and decode. */
class MlpTest {

    private final Device device = TestDevices.cpu();

    private static Map<String, Tensor> weights(RandomTensors random, MlpSpec spec) {
        Map<String, Tensor> w = new HashMap<>();
        int h = spec.hidden();
        int i = spec.intermediate();
        if (spec.gated()) {
            w.put("gate_proj.weight", random.matrix(i, h));
        }
        w.put("up_proj.weight", random.matrix(i, h));
        w.put("down_proj.weight", random.matrix(h, i));
        if (spec.bias()) {
            if (spec.gated()) {
                w.put("gate_proj.bias", random.matrix(i));
            }
            w.put("up_proj.bias", random.matrix(i));
            w.put("down_proj.bias", random.matrix(h));
        }
        return w;
    }

    private static double[] reference(Map<String, Tensor> w, String act, double[] x, int n) {
        return Reference.mlp(x, n, act, w.get("gate_proj.weight"), w.get("gate_proj.bias"), w.get("up_proj.weight"),
                w.get("up_proj.bias"), w.get("down_proj.weight"), w.get("down_proj.bias"));
    }

    private void check(MlpSpec spec, String act, DType dtype, long seed) {
        RandomTensors random = new RandomTensors(seed, dtype);
        Map<String, Tensor> w = weights(random, spec);
        ModuleConfig chunked = new ModuleConfig(4, 3);
        Mlp mlp = spec.gated()
                ? new GatedMlpFactory().create(spec, chunked, MapWeights.of(w), device)
                : new PlainMlpFactory().create(spec, chunked, MapWeights.of(w), device);
        Tensor x = random.activation(8, spec.hidden());
        double[] expected = reference(w, act, Reference.values(x), 8);
        Tensor out = RandomTensors.zeros(8, spec.hidden());
        mlp.prefill(x, out);        // chunks of 3, 3, 2
        Compare.assertClose(act + " prefill " + dtype, expected, out);
        Tensor decoded = RandomTensors.zeros(4, spec.hidden());
        mlp.decode(x.slice(0, 2, 4), decoded);
        Compare.assertClose(act + " decode " + dtype, Reference.rows(expected, spec.hidden(), 2, 4), decoded);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void swigluMatchesReference(DType dtype) {
        check(new MlpSpec(64, 128, Activation.SILU, true, false), "silu", dtype, 31);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void gegluMatchesReference(DType dtype) {
        check(new MlpSpec(64, 96, Activation.GELU_TANH, true, false), "gelu_pytorch_tanh", dtype, 32);
    }

    @Test
    void gatedWithBiasesMatchesReference() {
        check(new MlpSpec(32, 64, Activation.SILU, true, true), "silu", DType.F32, 33);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void plainGeluWithBiasesMatchesReference(DType dtype) {
        check(new MlpSpec(64, 256, Activation.GELU, false, true), "gelu", dtype, 34);
    }

    @Test
    void plainReluMatchesReference() {
        check(new MlpSpec(32, 64, Activation.RELU, false, false), "relu", DType.F32, 35);
    }

    @Test
    void factoriesRefuseTheOtherVariant() {
        RandomTensors random = new RandomTensors(36, DType.F32);
        MlpSpec plain = new MlpSpec(32, 64, Activation.GELU, false, false);
        MlpSpec gated = new MlpSpec(32, 64, Activation.SILU, true, false);
        assertThrows(IllegalArgumentException.class, () -> new GatedMlpFactory().create(plain,
                ModuleConfig.defaults(), MapWeights.of(weights(random, plain)), device));
        assertThrows(IllegalArgumentException.class, () -> new PlainMlpFactory().create(gated,
                ModuleConfig.defaults(), MapWeights.of(weights(random, gated)), device));
        assertEquals(GatedMlpFactory.NAME, new GatedMlpFactory().create(gated, ModuleConfig.defaults(),
                MapWeights.of(weights(random, gated)), device).candidate());
    }
}
