package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Quantization;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --quantize with --weight-cache: the second load maps the cache and reads no source matrix. */
class CachedLinearWeightsTest {
    @TempDir
    Path dir;

    private final List<String> notices = new ArrayList<>();
    private final AtomicInteger matrixReads = new AtomicInteger();

    /** Source weights that count (or refuse) reads of the linear matrices. */
    private record Source(Map<String, Tensor> all, String prefix, AtomicInteger reads, boolean refuse) implements Weights {
        @Override
        public Tensor get(String name) {
            String full = prefix + name;
            if (QuantizedLinearWeights.isLinearWeight(full, false)) {
                if (refuse) {
                    throw new AssertionError("source matrix read: " + full);
                }
                reads.incrementAndGet();
            }
            return all.get(full);
        }

        @Override
        public boolean contains(String name) {
            return all.containsKey(prefix + name);
        }

        @Override
        public Weights scoped(String scope) {
            return new Source(all, prefix + scope + ".", reads, refuse);
        }
    }

    private static Map<String, Tensor> tensors() {
        Random r = new Random(3);
        Map<String, Tensor> all = new HashMap<>();
        all.put("model.layers.0.self_attn.q_proj.weight", random(r, 8, 64));
        all.put("model.layers.0.input_layernorm.weight", random(r, 64));
        all.put("lm_head.weight", random(r, 10, 64));
        return all;
    }

    private static Tensor random(Random r, int... shape) {
        float[] v = new float[shape[0] * (shape.length > 1 ? shape[1] : 1)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, shape);
    }

    private Weights load(Checkpoint checkpoint, Map<String, Tensor> all, DType target, boolean refuse) {
        Weights source = new Source(all, "", matrixReads, refuse);
        return CachedLinearWeights.over(QuantizedLinearWeights.over(source, target, false), all.keySet(), checkpoint,
                target, false, dir.resolve("cache"), notices::add);
    }

    @Test
    void theSecondLoadMapsTheCacheAndReadsNoSourceMatrix() throws IOException {
        Path file = dir.resolve("model.safetensors");
        new SafetensorsWriter().addF32("x", new long[] {1}, new float[] {1}).write(file);
        Map<String, Tensor> all = tensors();
        try (Checkpoint checkpoint = Checkpoint.open(file)) {
            Weights first = load(checkpoint, all, DType.Q8_0, false);
            assertEquals(2, matrixReads.get(), "q_proj and lm_head quantised once each");
            Weights second = load(checkpoint, all, DType.Q8_0, true);    // refuses any source matrix read
            Tensor q = second.scoped("model.layers.0").scoped("self_attn").get("q_proj.weight");
            assertEquals(DType.Q8_0, q.dtype());
            assertTrue(q.segment().isMapped());
            Tensor expected = Quantization.quantize(all.get("model.layers.0.self_attn.q_proj.weight"), DType.Q8_0);
            assertEquals(-1, expected.segment().mismatch(q.segment()));
            assertEquals(-1, first.get("lm_head.weight").segment().mismatch(second.get("lm_head.weight").segment()));
            assertSame(all.get("model.layers.0.input_layernorm.weight"), second.get("model.layers.0.input_layernorm.weight"));
            assertEquals(List.of(), notices);
        }
    }

    @Test
    void anotherTargetIsAnotherLayout() {
        assertNotEquals(CachedLinearWeights.layout(DType.Q8_0, true), CachedLinearWeights.layout(DType.Q4_0, true));
        assertNotEquals(CachedLinearWeights.layout(DType.Q8_0, true), CachedLinearWeights.layout(DType.Q8_0, false));
        assertEquals("kit-linear/q4_0/head-q8_0/untied", CachedLinearWeights.layout(DType.Q4_0, false));
    }

    @Test
    void withoutACacheFolderTheWeightsAreTheQuantisingOnes() {
        Weights quantized = QuantizedLinearWeights.over(new Source(tensors(), "", matrixReads, false), DType.Q8_0, false);
        assertSame(quantized, CachedLinearWeights.over(quantized, Set.of(), null, DType.Q8_0, false, null, notices::add));
    }
}
