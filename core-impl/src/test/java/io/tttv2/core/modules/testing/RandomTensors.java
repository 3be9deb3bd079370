package io.tttv2.core.modules.testing;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Random;

/** Seeded random tensors: weights as F32 or BF16, activations as F32. */
public final class RandomTensors {

    private final Random random;
    private final DType weightType;

    public RandomTensors(long seed, DType weightType) {
        this.random = new Random(seed);
        this.weightType = weightType;
    }

    /** A weight of {@code shape} in the weight dtype: mean + std · N(0, 1). */
    public Tensor weight(double mean, double std, int... shape) {
        return fill(Tensor.allocate(Arena.ofAuto(), weightType, shape), mean, std);
    }

    /** A matrix weight, std 0.1 as the fixtures use. */
    public Tensor matrix(int... shape) {
        return weight(0, 0.1, shape);
    }

    /** A norm scale around 1. */
    public Tensor normScale(int dim) {
        return weight(1, 0.1, dim);
    }

    /** An F32 activation of {@code shape}, N(0, 1). */
    public Tensor activation(int... shape) {
        return fill(Tensor.allocate(Arena.ofAuto(), DType.F32, shape), 0, 1);
    }

    private Tensor fill(Tensor t, double mean, double std) {
        float[] v = new float[Math.toIntExact(t.elementCount())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * random.nextGaussian());
        }
        t.copyFrom(v);
        return t;
    }

    /** A zeroed F32 tensor. */
    public static Tensor zeros(int... shape) {
        return Tensor.allocate(Arena.ofAuto(), DType.F32, shape);
    }

    /** An F32 tensor holding {@code values}. */
    public static Tensor of(double[] values, int... shape) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Tensor.of(f, shape);
    }
}
