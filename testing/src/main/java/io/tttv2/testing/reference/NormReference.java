package io.tttv2.testing.reference;

import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.Weights;

/**
 * RMSNorm (HF {@code LlamaRMSNorm}; Gemma's {@code (1 + w)} with weight offset 1) and LayerNorm
 * ({@code nn.LayerNorm}, optional bias) over the last dimension.
 *
 * <pre>
 * RMS:   y = x / sqrt(mean(x²) + eps) · (offset + w)
 * LAYER: y = (x − mean(x)) / sqrt(var(x) + eps) · (offset + w) + b      (var is the biased variance)
 * </pre>
 */
public final class NormReference {

    private final NormSpec spec;
    private final float[] weight;   // [dim]
    private final float[] bias;     // [dim], or null

    /** Reads {@code weight} (and {@code bias} for a LayerNorm with bias) from {@code weights}. */
    public NormReference(NormSpec spec, Weights weights) {
        this(spec, WeightValues.read(weights, "weight", "norm", spec.dim()),
                WeightValues.readIf(spec.kind() == NormSpec.NormKind.LAYER && spec.bias(), weights, "bias", "norm",
                        spec.dim()));
    }

    public NormReference(NormSpec spec, float[] weight, float[] bias) {
        if (weight.length != spec.dim() || (bias != null && bias.length != spec.dim())) {
            throw new IllegalArgumentException("norm reference: weight of " + weight.length + " and bias of "
                    + (bias == null ? 0 : bias.length) + " elements, expected " + spec.dim());
        }
        this.spec = spec;
        this.weight = weight.clone();
        this.bias = bias == null ? null : bias.clone();
    }

    public NormSpec spec() {
        return spec;
    }

    /** x [rows, dim] → y [rows, dim]. */
    public double[] apply(double[] x, int rows) {
        int dim = spec.dim();
        requireLength(x, rows * dim);
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            int row = r * dim;
            double mean = 0;
            if (spec.kind() == NormSpec.NormKind.LAYER) {
                for (int i = 0; i < dim; i++) {
                    mean += x[row + i];
                }
                mean /= dim;
            }
            double squares = 0;
            for (int i = 0; i < dim; i++) {
                double centred = x[row + i] - mean;
                squares += centred * centred;
            }
            double inverseRms = 1.0 / Math.sqrt(squares / dim + spec.eps());
            for (int i = 0; i < dim; i++) {
                double scaled = (x[row + i] - mean) * inverseRms * (spec.weightOffset() + weight[i]);
                y[row + i] = bias == null ? scaled : scaled + bias[i];
            }
        }
        return y;
    }

    private void requireLength(double[] x, int expected) {
        if (x.length != expected) {
            throw new IllegalArgumentException("norm reference: input of " + x.length + " elements, expected "
                    + expected + " (rows x " + spec.dim() + ")");
        }
    }
}
