package io.tttv2.testing.reference;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import java.util.Arrays;

/** Reads a module's weights for a reference: the stored values widened to float, the shape checked. */
final class WeightValues {

    private WeightValues() {
    }

    /**
     * The tensor {@code name} of {@code weights} as floats, row-major.
     *
     * @throws IllegalArgumentException naming the module, the weight, the expected and the found shape
     */
    static float[] read(Weights weights, String name, String module, int... expectedShape) {
        Tensor t = weights.get(name);
        if (!Arrays.equals(t.shape(), expectedShape)) {
            throw new IllegalArgumentException(module + " reference: weight '" + name + "' has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expectedShape));
        }
        return t.toFloatArray();
    }

    /** {@link #read} when {@code present}, else null (an absent bias). */
    static float[] readIf(boolean present, Weights weights, String name, String module, int... expectedShape) {
        return present ? read(weights, name, module, expectedShape) : null;
    }
}
