package io.tttv2.core.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@code matmulGroup} — q/k/v or gate/up as one dispatch over weights kept apart — gives each output the bits its own
 * matmul gives, for every float dtype, decode and prefill row counts, with and without biases, on one and two
 * workers, with group sizes that are not multiples of the row block (chunks straddle two weights); and the same bits
 * as the float64 reference within float tolerance, so it is not merely equal to itself.
 */
class GroupedMatmulTest {

    private static final int WARM_UP = 3000;

    @ParameterizedTest(name = "{0} M={1} workers={2} split={3} bias={4}")
    @CsvSource({
            "F32, 1, 2, 4, false", "F32, 9, 2, 1, true", "BF16, 1, 2, 4, true", "BF16, 3, 1, 1, false",
            "BF16, 9, 2, 3, false", "F16, 1, 2, 4, false", "F16, 9, 2, 2, true", "BF16, 1, 2, 64, true"})
    void everyOutputEqualsItsOwnMatmulBitForBit(DType wt, int m, int workers, int split, boolean withBias) {
        RandomTensors random = new RandomTensors(21, wt);
        int[] rows = {130, 34, 34};          // q, k, v of 130 and 34 rows: not multiples of the row block
        Tensor[] w = new Tensor[rows.length];
        Tensor[] bias = new Tensor[rows.length];
        Tensor[] grouped = new Tensor[rows.length];
        for (int g = 0; g < rows.length; g++) {
            w[g] = random.matrix(rows[g], 96);
            bias[g] = withBias ? new RandomTensors(30 + g, DType.F32).activation(1, rows[g]).reshape(rows[g]) : null;
            grouped[g] = RandomTensors.zeros(m, rows[g]);
        }
        Tensor x = new RandomTensors(22, DType.F32).activation(m, 96);
        CpuOps ops = (CpuOps) TestTensors.device(workers).ops();
        Tensor[] alone = new Tensor[rows.length];
        for (int g = 0; g < rows.length; g++) {
            alone[g] = RandomTensors.zeros(m, rows[g]);
        }
        // both paths compiled alike first: the vector API's reductions sum lanes in another order interpreted than
        // compiled, so bits compare only between calls at the same JIT tier
        for (int round = 0; round < WARM_UP; round++) {
            ops.matmulGroup(x, w, bias, grouped, split);
            for (int g = 0; g < rows.length; g++) {
                ops.matmul(x, w[g], bias[g], alone[g], split);
            }
        }
        ops.matmulGroup(x, w, bias, grouped, split);
        for (int g = 0; g < rows.length; g++) {
            ops.matmul(x, w[g], bias[g], alone[g], split);
            assertArrayEquals(Reference.values(alone[g]), Reference.values(grouped[g]), 0.0, "weight " + g);
            double[] expected = Reference.values(reference(x, w[g], bias[g]));
            TestTensors.assertClose(expected, grouped[g], 1e-4, 1e-4, "weight " + g + " against float64");
        }
    }

    /** x · wᵀ + bias in float64 over the stored weights. */
    private static Tensor reference(Tensor x, Tensor w, Tensor bias) {
        int m = x.dim(0);
        int n = w.dim(0);
        int k = x.dim(1);
        float[] out = new float[m * n];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < n; c++) {
                double s = bias == null ? 0 : bias.getFloat(c);
                for (int i = 0; i < k; i++) {
                    s += (double) x.getFloat(r, i) * w.getFloat(c, i);
                }
                out[r * n + c] = (float) s;
            }
        }
        Tensor t = RandomTensors.zeros(m, n);
        TestTensors.set(t, out);
        return t;
    }

    @Test
    void operandsThatDoNotFitAreRefusedNamingTheGroupIndex() {
        RandomTensors random = new RandomTensors(23, DType.F32);
        Tensor x = random.activation(2, 16);
        Tensor[] w = {random.matrix(8, 16), random.matrix(8, 12)};
        Tensor[] out = {RandomTensors.zeros(2, 8), RandomTensors.zeros(2, 8)};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestTensors.device(1).ops().matmulGroup(x, w, new Tensor[2], out, 1));
        assertEquals(true, e.getMessage().contains("w[1]"), e.getMessage());
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> TestTensors.device(1).ops().matmulGroup(x, w, new Tensor[1], out, 1));
        assertEquals(true, lengths.getMessage().contains("w/bias/out"), lengths.getMessage());
    }
}
