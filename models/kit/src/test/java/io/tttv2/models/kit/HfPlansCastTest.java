package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.api.tensor.DType;
import org.junit.jupiter.api.Test;

/** Constants rounded into a model's dtype as torch rounds them (float32 first, then to nearest even). */
class HfPlansCastTest {

    @Test
    void bf16RoundsToNearestNotTowardZero() {
        // HF's own example: sqrt(3072) = 55.4256 is 55.5 in bfloat16 (truncation would give 55.25)
        assertEquals(55.5f, HfPlans.cast(Math.sqrt(3072), DType.BF16));
        assertEquals(8f, HfPlans.cast(Math.sqrt(64), DType.BF16));
    }

    @Test
    void f32IsTheFloatAndF16RoundsToHalf() {
        assertEquals((float) Math.sqrt(2048), HfPlans.cast(Math.sqrt(2048), DType.F32));
        assertEquals(45.25f, HfPlans.cast(Math.sqrt(2048), DType.F16));
    }

    @Test
    void bf16TiesGoToEven() {
        // 1 + 2^-8 lies halfway between bf16's 1 and 1 + 2^-7: the even one (1) wins; 1 + 3·2^-8 goes up
        assertEquals(1f, HfPlans.cast(1 + Math.pow(2, -8), DType.BF16));
        assertEquals((float) (1 + Math.pow(2, -6)), HfPlans.cast(1 + 3 * Math.pow(2, -8), DType.BF16));
    }
}
