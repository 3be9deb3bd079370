package io.tttv2.core.modules.latent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.backend.SdpaAttentionBackendFactory;
import io.tttv2.core.modules.rotary.RotaryEmbeddingFactory;
import io.tttv2.core.modules.testing.MapWeights;
import io.tttv2.core.modules.testing.NoOpDevice;
import io.tttv2.core.modules.testing.RandomTensors;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The latent attention's own decode path (per-head absorption and expansion included) allocates nothing once
 * warm: on a device whose ops do nothing, less than one byte per step on average over many steps.
 */
class LatentDecodeAllocationTest {

    private static final int STEPS = 20_000;

    @Test
    void decodeStepsAllocateNothingInTheModule() {
        Device device = new NoOpDevice();
        RandomTensors random = new RandomTensors(73, DType.F32);
        Map<String, Tensor> w = new HashMap<>();
        w.put("q_a_proj.weight", random.matrix(24, 64));
        w.put("q_a_layernorm.weight", random.normScale(24));
        w.put("q_b_proj.weight", random.matrix(4 * 12, 24));
        w.put("kv_a_proj_with_mqa.weight", random.matrix(20, 64));
        w.put("kv_a_layernorm.weight", random.normScale(16));
        w.put("kv_b_proj.weight", random.matrix(4 * (8 + 10), 16));
        w.put("o_proj.weight", random.matrix(64, 4 * 10));
        Weights weights = MapWeights.of(w);
        ModuleConfig config = new ModuleConfig(4, 8);
        LatentAttentionSpec spec = new LatentAttentionSpec(64, 4, 24, 16, 8, 4, 10, false, NormSpec.rms(24, 1e-6f),
                NormSpec.rms(16, 1e-6f), 0.3f);
        Rotary rotary = new RotaryEmbeddingFactory().create(new RotarySpec(4, 4, RopeScaling.unscaled(10000), 64,
                RotaryStyle.INTERLEAVED), device);
        Attention attention = new AbsorbedLatentAttentionFactory().create(spec, config, weights, rotary,
                new SdpaAttentionBackendFactory().create(AttentionBackendSpec.latent(spec), config, device), 0, device);
        try (PagedKvCache cache = device.allocateKvCache(new KvCacheSpec(1, 1, 20, 0, 4, 16, DType.F32))) {
            BlockTable[] tables = {cache.newSequence(), cache.newSequence(), cache.newSequence()};
            for (BlockTable t : tables) {
                t.reserve(5);
                t.setLength(4);
            }
            DecodeStep step = new DecodeStep(cache, tables, new int[] {4, 4, 4});
            Tensor x = RandomTensors.zeros(3, 64);
            Tensor out = RandomTensors.zeros(3, 64);
            for (int i = 0; i < STEPS; i++) {
                attention.decode(x, step, out);
            }
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < STEPS; i++) {
                attention.decode(x, step, out);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < STEPS, allocated + " bytes allocated over " + STEPS + " decode steps");
        }
    }
}
