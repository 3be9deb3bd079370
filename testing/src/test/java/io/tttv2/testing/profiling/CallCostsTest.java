package io.tttv2.testing.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** The bytes a module's call reads, from its weights' dtype: block-quantised types have no per-element size. */
class CallCostsTest {

    @Test
    void mlpBytesFollowTheWeightFormat() {
        try (Arena arena = Arena.ofConfined()) {
            MlpSpec spec = new MlpSpec(64, 128, Activation.SILU, true, false);
            // x [1, 64] F32; three [128, 64] matrices: 24,576 weights
            Tensor x = Tensor.allocate(arena, DType.F32, 1, 64);
            double activations = (2.0 * 64 + 2.0 * 128) * Float.BYTES;
            assertEquals(24_576 * 2 + activations, bytes(arena, spec, x, DType.BF16), 1e-9);
            // Q8_0: 34 bytes per 32 weights; Q4_0: 18
            assertEquals(24_576 * 34 / 32.0 + activations, bytes(arena, spec, x, DType.Q8_0), 1e-9);
            assertEquals(24_576 * 18 / 32.0 + activations, bytes(arena, spec, x, DType.Q4_0), 1e-9);
        }
    }

    private static double bytes(Arena arena, MlpSpec spec, Tensor x, DType dtype) {
        Tensor up = Tensor.allocate(arena, dtype, 128, 64);
        Weights weights = new Weights() {
            @Override
            public Tensor get(String name) {
                return up;
            }

            @Override
            public boolean contains(String name) {
                return name.equals("up_proj.weight");
            }

            @Override
            public Weights scoped(String prefix) {
                return this;
            }
        };
        return CallCosts.of(ModuleKind.MLP, spec, weights).of("forward", new Object[] {x}).bytes();
    }
}
