package io.tttv2.core.cpu.kernel;

import io.tttv2.api.ops.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** The element-wise functions of one argument (and one scalar parameter), in vector and scalar form. */
public enum UnaryOp {
    SILU,
    GELU,
    GELU_TANH,
    RELU,
    /** x · param */
    SCALE,
    /** param · tanh(x / param) */
    SOFTCAP;

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);

    public static UnaryOp of(Activation act) {
        return switch (act) {
            case SILU -> SILU;
            case GELU -> GELU;
            case GELU_TANH -> GELU_TANH;
            case RELU -> RELU;
        };
    }

    /** False for GELU, whose erf is evaluated per element in double. */
    boolean vectorised() {
        return this != GELU;
    }

    FloatVector apply(FloatVector x, float param) {
        return switch (this) {
            case SILU -> x.div(x.neg().lanewise(VectorOperators.EXP).add(1f));
            case GELU_TANH -> {
                FloatVector inner = x.mul(x).mul(x).mul(0.044715f).add(x).mul(SQRT_2_OVER_PI);
                yield inner.lanewise(VectorOperators.TANH).add(1f).mul(x).mul(0.5f);
            }
            case RELU -> x.max(0f);
            case SCALE -> x.mul(param);
            case SOFTCAP -> x.div(param).lanewise(VectorOperators.TANH).mul(param);
            case GELU -> throw new IllegalStateException("GELU is not vectorised");
        };
    }

    float apply(float x, float param) {
        return switch (this) {
            case SILU -> (float) (x / (1.0 + Math.exp(-x)));
            case GELU -> (float) (0.5 * x * (1.0 + Erf.erf(x * INV_SQRT_2)));
            case GELU_TANH -> (float) (0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
            case RELU -> x > 0 ? x : 0f;
            case SCALE -> x * param;
            case SOFTCAP -> (float) (param * Math.tanh(x / param));
        };
    }
}
