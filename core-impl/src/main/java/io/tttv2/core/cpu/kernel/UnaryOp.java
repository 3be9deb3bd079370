package io.tttv2.core.cpu.kernel;

import io.tttv2.api.ops.Activation;

/**
 * The element-wise functions of one argument (and one scalar parameter). The scalar form is here; the
 * vector loops are written out per function in {@link ElementwiseKernels}.
 */
public enum UnaryOp {
    SILU,
    GELU,
    GELU_TANH,
    RELU,
    /** x · param */
    SCALE,
    /** param · tanh(x / param) */
    SOFTCAP;

    static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);

    public static UnaryOp of(Activation act) {
        return switch (act) {
            case SILU -> SILU;
            case GELU -> GELU;
            case GELU_TANH -> GELU_TANH;
            case RELU -> RELU;
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
