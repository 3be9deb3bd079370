package io.tttv2.core.modules.position;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.PositionEmbedding;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.testing.Compare;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.NoOpDevice;
import io.tttv2.core.modules.testing.RandomTensors;
import io.tttv2.core.modules.testing.Reference;
import io.tttv2.core.modules.testing.TestDevices;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Learned absolute positions (GPT-2's wpe) against x[t] + weight[position of t] in float64. */
class LearnedPositionEmbeddingTest {

    private static final int POSITIONS = 40;
    private static final int HIDDEN = 24;

    private final Device device = TestDevices.cpu();

    private static PositionEmbedding create(Tensor weight, ModuleConfig config, Device device) {
        return new LearnedPositionEmbeddingFactory().create(new PositionEmbeddingSpec(POSITIONS, HIDDEN), config,
                MapWeights.of(Map.of("weight", weight)), device);
    }

    /** x [rows, hidden] plus row positions[r] of the weight, in float64 from the stored values. */
    private static double[] expected(double[] x, Tensor weight, int[] positions) {
        double[] out = x.clone();
        for (int r = 0; r < positions.length; r++) {
            for (int i = 0; i < HIDDEN; i++) {
                out[r * HIDDEN + i] += weight.getFloat(positions[r], i);
            }
        }
        return out;
    }

    private static int[] range(int start, int count) {
        int[] p = new int[count];
        for (int i = 0; i < count; i++) {
            p[i] = start + i;
        }
        return p;
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "BF16"})
    void prefillAndDecodeAddTheirPositionsRows(DType dtype) {
        RandomTensors random = new RandomTensors(51, dtype);
        Tensor weight = random.matrix(POSITIONS, HIDDEN);
        PositionEmbedding wpe = create(weight, ModuleConfig.defaults(), device);

        Tensor x = random.activation(9, HIDDEN);
        double[] before = Reference.values(x);
        wpe.prefill(x, 0);
        Compare.assertClose("prefill from 0 " + dtype, expected(before, weight, range(0, 9)), x);

        Tensor y = random.activation(5, HIDDEN);
        before = Reference.values(y);
        wpe.prefill(y, POSITIONS - 5);          // the last rows of the table
        Compare.assertClose("prefill continuing " + dtype, expected(before, weight, range(POSITIONS - 5, 5)), y);

        int[] positions = {3, 39, 0};
        Tensor z = random.activation(3, HIDDEN);
        before = Reference.values(z);
        wpe.decode(z, positions);
        Compare.assertClose("decode " + dtype, expected(before, weight, positions), z);
        assertEquals(LearnedPositionEmbeddingFactory.NAME, wpe.candidate());
    }

    @Test
    void aLongPrefillRunsInChunksWithTheSameResult() {
        RandomTensors random = new RandomTensors(52, DType.BF16);
        Tensor weight = random.matrix(POSITIONS, HIDDEN);
        PositionEmbedding chunked = create(weight, new ModuleConfig(2, 4), device);    // chunks of 4, 4, 3
        Tensor x = random.activation(11, HIDDEN);
        double[] before = Reference.values(x);
        chunked.prefill(x, 7);
        Compare.assertClose("chunked prefill", expected(before, weight, range(7, 11)), x);
    }

    @Test
    void positionsOutsideTheTableAreNamed() {
        PositionEmbedding wpe = create(new RandomTensors(53, DType.F32).matrix(POSITIONS, HIDDEN),
                new ModuleConfig(4, 8), device);
        IllegalArgumentException prefill = assertThrows(IllegalArgumentException.class,
                () -> wpe.prefill(RandomTensors.zeros(5, HIDDEN), POSITIONS - 4));
        assertTrue(prefill.getMessage().contains("position 40") && prefill.getMessage().contains("maxPositions 40"),
                prefill.getMessage());
        IllegalArgumentException decode = assertThrows(IllegalArgumentException.class,
                () -> wpe.decode(RandomTensors.zeros(2, HIDDEN), new int[] {1, 41}));
        assertTrue(decode.getMessage().contains("position 41") && decode.getMessage().contains("maxPositions 40"),
                decode.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> wpe.decode(RandomTensors.zeros(1, HIDDEN), new int[] {-1}));
        assertTrue(negative.getMessage().contains("position -1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> wpe.decode(RandomTensors.zeros(5, HIDDEN), range(0, 5)),
                "more rows than maxBatch");
    }

    @Test
    void aWeightOfTheWrongShapeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> create(new RandomTensors(54, DType.F32).matrix(POSITIONS, HIDDEN + 1), ModuleConfig.defaults(),
                        device));
        assertTrue(e.getMessage().contains("'weight'") && e.getMessage().contains("[40, 25]")
                && e.getMessage().contains("[40, 24]"), e.getMessage());
    }

    /** As DecodeAllocationTest: on a device whose ops do nothing, under one byte per step on average. */
    @Test
    void decodeAllocatesNothing() {
        int steps = 20_000;
        PositionEmbedding wpe = create(new RandomTensors(55, DType.BF16).matrix(POSITIONS, HIDDEN),
                new ModuleConfig(4, 8), new NoOpDevice());
        Tensor x = RandomTensors.zeros(3, HIDDEN);
        int[] positions = {5, 17, 39};
        for (int i = 0; i < steps; i++) {
            wpe.decode(x, positions);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < steps; i++) {
            wpe.decode(x, positions);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < steps, allocated + " bytes allocated over " + steps + " decode steps");
    }
}
