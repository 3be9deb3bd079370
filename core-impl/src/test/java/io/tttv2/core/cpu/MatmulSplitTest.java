package io.tttv2.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import io.tttv2.core.modules.testing.TestDevices;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A matmul split into more or fewer chunks per worker computes every output element the same way: the split
 * moves work between workers, never changes a sum.
 */
class MatmulSplitTest {

    private final Device device = TestDevices.cpu();

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8, 64})
    void everySplitGivesTheSameBits(int split) {
        RandomTensors random = new RandomTensors(11, DType.BF16);
        Tensor w = random.matrix(300, 96);      // 300 rows: chunks of odd sizes, rounded to the row block
        for (int m : new int[] {1, 9}) {        // decode and prefill kernels
            Tensor x = new RandomTensors(12, DType.F32).activation(m, 96);
            Tensor plain = RandomTensors.zeros(m, 300);
            Tensor split_ = RandomTensors.zeros(m, 300);
            device.ops().matmul(x, w, null, plain);
            device.ops().matmul(x, w, null, split_, split);
            assertArrayEquals(Reference.values(plain), Reference.values(split_), 0.0, "split " + split + ", " + m + " rows");
        }
    }
}
