package io.tttv2.core.modules.embedding;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.testing.Compare;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.TestDevices;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Token embedding: gathered rows, scaled (Gemma's sqrt(hidden)) or not. */
class TokenEmbeddingTest {

    private final Device device = TestDevices.cpu();

    private static double[] expected(Tensor table, int[] ids, double scale) {
        int h = table.dim(1);
        double[] out = new double[ids.length * h];
        for (int r = 0; r < ids.length; r++) {
            for (int i = 0; i < h; i++) {
                out[r * h + i] = table.getFloat(ids[r], i) * scale;
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void gathersAndScalesRows(DType dtype) {
        RandomTensors random = new RandomTensors(41, dtype);
        Tensor table = random.matrix(50, 32);
        float scale = (float) Math.sqrt(32);
        Embedding scaled = new TokenEmbeddingFactory().create(new EmbeddingSpec(50, 32, scale),
                MapWeights.of(Map.of("weight", table)), device);
        int[] ids = {0, 49, 7, 7, 13};
        Tensor out = RandomTensors.zeros(ids.length, 32);
        scaled.prefill(ids, out);
        Compare.assertClose("scaled embedding", expected(table, ids, scale), out);

        Embedding plain = new TokenEmbeddingFactory().create(new EmbeddingSpec(50, 32, 1f),
                MapWeights.of(Map.of("weight", table)), device);
        Tensor row = RandomTensors.zeros(2, 32);
        plain.decode(new int[] {3, 9}, row);
        Compare.assertClose("embedding", expected(table, new int[] {3, 9}, 1), row);
        assertSame(table, plain.table());
        assertThrows(IllegalArgumentException.class, () -> plain.decode(new int[] {50, 1}, row));
    }
}
