package io.tttv2.contrib.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BLAS device's matmul against a float64 reference ({@code out[m][n] = Σ_k x[m][k]·w[n][k] + bias[n]}),
 * in every weight dtype, with and without bias, for decode (M = 1) and prefill (M > 1) shapes; operands
 * sgemm cannot address go to the CPU; other ops are the CPU's.
 */
class BlasOpsTest {

    private static CpuDevice cpu;
    private static BlasDevice device;

    @BeforeAll
    static void devices() {
        cpu = new CpuDevice(2);
        OpenBlasLibrary.Loaded blas = OpenBlasLibrary.load(OpenBlasLibrary.NAMES);
        assertTrue(blas.available(), blas.unavailable());
        device = new BlasDevice(cpu, blas.blas());
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    private static Tensor random(DType dtype, Random random, int... shape) {
        Tensor t = Tensor.allocate(Arena.ofAuto(), dtype, shape);
        float[] v = new float[Math.toIntExact(t.elementCount())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        cpu.ops().copy(Tensor.of(v, shape), t);
        return t;
    }

    private static double[] reference(Tensor x, Tensor w, Tensor bias) {
        int m = x.dim(0);
        int k = x.dim(1);
        int n = w.dim(0);
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = bias == null ? 0 : bias.getFloat(j);
                for (int c = 0; c < k; c++) {
                    s += (double) x.getFloat(i, c) * w.getFloat(j, c);
                }
                out[i * n + j] = s;
            }
        }
        return out;
    }

    private static void assertMatches(double[] expected, Tensor out, String what) {
        float[] actual = out.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * Math.max(1, Math.abs(expected[i])), what + ", element " + i);
        }
    }

    @Test
    void blockQuantisedWeightsAreLeftToTheCpuKernelAndNeverWidened() {
        Random random = new Random(4);
        Tensor x = random(DType.F32, random, 3, 64);
        float[] v = new float[8 * 64];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        Tensor w = Tensor.allocate(Arena.ofAuto(), DType.Q8_0, 8, 64);
        io.tttv2.api.tensor.BlockCodec.of(DType.Q8_0).encode(v, 0, v.length, w.segment(), 0);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 3, 8);
        int widenedBefore = ((BlasOps) device.ops()).widenedWeights();
        device.ops().matmul(x, w, null, out);
        assertMatches(reference(x, w, null), out, "Q8_0 weights");
        assertEquals(widenedBefore, ((BlasOps) device.ops()).widenedWeights(), "a quantised matrix was widened");
    }

    @Test
    void matmulMatchesTheReferenceForEveryWeightDtypeWithAndWithoutBias() {
        Random random = new Random(1);
        for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            for (int m : new int[] {1, 7}) {
                for (boolean withBias : new boolean[] {false, true}) {
                    Tensor x = random(DType.F32, random, m, 67);
                    Tensor w = random(dtype, random, 45, 67);
                    Tensor bias = withBias ? random(DType.F32, random, 45) : null;
                    Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, m, 45);
                    device.ops().matmul(x, w, bias, out);
                    assertMatches(reference(x, w, bias), out, dtype + " M=" + m + " bias=" + withBias);
                }
            }
        }
    }

    @Test
    void aSixteenBitWeightIsWidenedOnceAndReused() {
        Random random = new Random(2);
        Tensor w = random(DType.BF16, random, 16, 32);
        WidenedWeights widened = new WidenedWeights(cpu.ops());
        Tensor first = widened.f32(w);
        assertSame(first, widened.f32(w));
        assertEquals(1, widened.size());
        assertEquals(DType.F32, first.dtype());
        assertArrayEquals(w.toFloatArray(), first.toFloatArray());     // BF16 → F32 is exact
        Tensor f32 = random(DType.F32, random, 16, 32);
        assertSame(f32, widened.f32(f32));                              // F32 needs no copy
    }

    @Test
    void stridedOperandsAndRowsOfALargerBufferGiveTheSameResultAsTheCpu() {
        Random random = new Random(3);
        Tensor wide = random(DType.F32, random, 5, 40);
        Tensor x = wide.slice(1, 4, 24);                                // [5, 24] strided: the CPU path
        Tensor w = random(DType.F32, random, 12, 24);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 8, 12).slice(0, 2, 5);   // rows 2..6: sgemm path
        device.ops().matmul(x, w, null, out);
        Tensor expected = Tensor.allocate(Arena.ofAuto(), DType.F32, 5, 12);
        cpu.ops().matmul(x, w, null, expected);
        assertArrayEquals(expected.toFloatArray(), out.toFloatArray(), 1e-5f);
    }

    @Test
    void otherOpsAreTheCpuDevicesAndCachesComeFromIt() {
        Random random = new Random(4);
        Tensor x = random(DType.F32, random, 3, 16);
        Tensor weight = random(DType.F32, random, 16);
        Ops ops = device.ops();
        Tensor blasOut = Tensor.allocate(Arena.ofAuto(), DType.F32, 3, 16);
        Tensor cpuOut = Tensor.allocate(Arena.ofAuto(), DType.F32, 3, 16);
        ops.rmsNorm(x, weight, 1e-6f, 0f, blasOut);
        cpu.ops().rmsNorm(x, weight, 1e-6f, 0f, cpuOut);
        assertArrayEquals(cpuOut.toFloatArray(), blasOut.toFloatArray());
        assertEquals("blas", device.name());
        assertEquals(cpu.parallelism(), device.parallelism());
    }
}
