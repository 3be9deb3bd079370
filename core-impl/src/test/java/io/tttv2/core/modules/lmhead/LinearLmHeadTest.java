package io.tttv2.core.modules.lmhead;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.testing.Compare;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import io.tttv2.core.modules.testing.TestDevices;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** LM head: logits = x · wᵀ, with Gemma 2's final soft-cap. */
class LinearLmHeadTest {

    private final Device device = TestDevices.cpu();

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void logitsMatchReferenceWithAndWithoutSoftcap(DType dtype) {
        RandomTensors random = new RandomTensors(51, dtype);
        Tensor w = random.weight(0, 1, 100, 64);        // large logits, so a cap of 5 bites
        Tensor x = random.activation(6, 64);
        double[] logits = Reference.linear(Reference.values(x), 6, w, null);

        LmHead plain = new LinearLmHeadFactory().create(new LmHeadSpec(64, 100, 0f), ModuleConfig.defaults(),
                MapWeights.of(Map.of("weight", w)), device);
        Tensor out = RandomTensors.zeros(6, 100);
        plain.prefill(x, out);
        Compare.assertClose("logits " + dtype, logits, out);

        LmHead capped = new LinearLmHeadFactory().create(new LmHeadSpec(64, 100, 5f), ModuleConfig.defaults(),
                MapWeights.of(Map.of("weight", w)), device);
        double[] cappedLogits = new double[logits.length];
        double maxRaw = 0;
        for (int i = 0; i < logits.length; i++) {
            cappedLogits[i] = 5 * Math.tanh(logits[i] / 5);
            maxRaw = Math.max(maxRaw, Math.abs(logits[i]));
        }
        assertTrue(maxRaw > 10, "the cap must matter: max |logit| " + maxRaw);
        Tensor decoded = RandomTensors.zeros(2, 100);
        capped.decode(x.slice(0, 4, 2), decoded);
        Compare.assertClose("capped logits " + dtype, Reference.rows(cappedLogits, 100, 4, 2), decoded);
    }
}
