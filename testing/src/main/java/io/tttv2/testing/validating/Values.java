package io.tttv2.testing.validating;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;

/** Conversions between tensors and the references' double arrays. */
final class Values {

    private Values() {
    }

    /** A copy of {@code t}'s elements, row-major, widened to double (taken before an in-place call). */
    static double[] of(Tensor t) {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** The reference's output rounded to float, to compare with a float implementation. */
    static float[] narrow(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    /** The dtype of weight {@code name}, or F32 if the module has no such weight. */
    static DType dtypeOf(Weights weights, String name) {
        try {
            return weights.contains(name) ? weights.get(name).dtype() : DType.F32;
        } catch (RuntimeException e) {
            return DType.F32;
        }
    }
}
