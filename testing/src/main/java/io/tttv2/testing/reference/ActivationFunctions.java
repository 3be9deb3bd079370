package io.tttv2.testing.reference;

import io.tttv2.api.ops.Activation;

/** The activations by their definitions (PyTorch's {@code F.silu}, {@code F.gelu}, {@code gelu_pytorch_tanh}, {@code F.relu}). */
public final class ActivationFunctions {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private ActivationFunctions() {
    }

    public static double apply(Activation activation, double x) {
        return switch (activation) {
            case SILU -> x / (1 + Math.exp(-x));
            case GELU -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            case RELU -> Math.max(0, x);
        };
    }

    /** The error function, exposed for tests of the GELU above. */
    public static double erf(double x) {
        return Erf.erf(x);
    }
}
