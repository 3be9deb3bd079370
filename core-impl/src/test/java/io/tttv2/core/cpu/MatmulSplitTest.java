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

    /**
     * Decode and small-batch matmuls (weights read in place) take shrinking chunks on a pool of 2; the same call in
     * equal chunks gives the same bits, with rows long enough for the streaming loops (K 2050) and short (K 96).
     */
    @ParameterizedTest
    @ValueSource(ints = {96, 2050})
    void shrinkingChunksGiveTheBitsOfEqualChunks(int k) {
        try (WorkerPool pool = new WorkerPool(2, "split-test")) {
            CpuOps shrinking = new CpuOps(pool, true);
            CpuOps equal = new CpuOps(pool, false);
            Tensor w = new RandomTensors(13, DType.BF16).matrix(1030, k);
            Tensor[] group = {w.slice(0, 0, 700), w.slice(0, 700, 330)};
            for (int m : new int[] {1, 5}) {
                Tensor x = new RandomTensors(14, DType.F32).activation(m, k);
                Tensor a = RandomTensors.zeros(m, 1030);
                Tensor b = RandomTensors.zeros(m, 1030);
                shrinking.matmul(x, w, null, a, 4);
                equal.matmul(x, w, null, b, 4);
                assertArrayEquals(Reference.values(b), Reference.values(a), 0.0, "matmul, " + m + " rows");
                Tensor[] outs = {RandomTensors.zeros(m, 700), RandomTensors.zeros(m, 330)};
                shrinking.matmulGroup(x, group, new Tensor[2], outs, 4);
                assertArrayEquals(Reference.values(b.slice(1, 0, 700)), Reference.values(outs[0]), 0.0, "group 0, " + m + " rows");
                assertArrayEquals(Reference.values(b.slice(1, 700, 330)), Reference.values(outs[1]), 0.0, "group 1, " + m + " rows");
            }
        }
    }
}
