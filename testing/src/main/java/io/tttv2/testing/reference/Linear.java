package io.tttv2.testing.reference;

/** A linear layer as PyTorch's {@code nn.Linear}: {@code y = x · Wᵀ + b}, every sum in double. */
final class Linear {

    private Linear() {
    }

    /**
     * @param x    [rows, in]
     * @param w    [out, in] (HF's weight layout)
     * @param bias [out], or null
     * @return y [rows, out]
     */
    static double[] apply(double[] x, int rows, float[] w, float[] bias, int out, int in) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double sum = bias == null ? 0.0 : bias[o];
                for (int i = 0; i < in; i++) {
                    sum += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = sum;
            }
        }
        return y;
    }
}
