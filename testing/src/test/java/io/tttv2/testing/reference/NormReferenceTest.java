package io.tttv2.testing.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.support.MapWeights;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NormReferenceTest {

    @Test
    void rmsNormByHand() {
        // x = [3, 4]: mean(x²) = 12.5, eps 0.5 → 1/sqrt(13) · x · w
        NormReference norm = new NormReference(NormSpec.rms(2, 0.5f), new float[] {1, 2}, null);
        double s = 1 / Math.sqrt(13);
        assertArrayEquals(new double[] {3 * s, 8 * s, 0, 0}, norm.apply(new double[] {3, 4, 0, 0}, 2), 1e-15);
    }

    @Test
    void gemmaScalesByOnePlusTheWeight() {
        NormReference norm = new NormReference(new NormSpec(2, NormSpec.NormKind.RMS, 0f, 1f, false),
                new float[] {0, 0.5f}, null);
        double s = 1 / Math.sqrt(12.5);
        assertArrayEquals(new double[] {3 * s, 4 * s * 1.5}, norm.apply(new double[] {3, 4}, 1), 1e-15);
    }

    @Test
    void layerNormCentresThenScalesAndShifts() {
        // x = [1, 2, 3]: mean 2, var 2/3
        NormReference norm = new NormReference(new NormSpec(3, NormSpec.NormKind.LAYER, 0f, 0f, true),
                new float[] {1, 2, 3}, new float[] {0.5f, 0, -1});
        double s = 1 / Math.sqrt(2.0 / 3);
        assertArrayEquals(new double[] {-s + 0.5, 0, 3 * s - 1}, norm.apply(new double[] {1, 2, 3}, 1), 1e-15);
    }

    @Test
    void weightsOfTheWrongShapeAreOneLineNamingTheWeight() {
        var weights = new MapWeights(Map.of("weight", Tensor.of(new float[3], 3)));
        var e = assertThrows(IllegalArgumentException.class, () -> new NormReference(NormSpec.rms(4, 1e-6f), weights));
        assertEquals("norm reference: weight 'weight' has shape [3], expected [4]", e.getMessage());
    }
}
