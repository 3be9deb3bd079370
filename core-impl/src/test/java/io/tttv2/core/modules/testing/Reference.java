package io.tttv2.core.modules.testing;

import io.tttv2.api.tensor.Tensor;

/**
 * Plain float64 references of the module computations, written as simple loops over row-major arrays so
 * that they are obviously right. Weights are read from the very tensors the modules use (so BF16 weights
 * enter both sides with the same values).
 */
public final class Reference {

    private Reference() {
    }

    /** The tensor's elements as doubles, row-major. */
    public static double[] values(Tensor t) {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** x [n, k] · wᵀ (w [m, k]) + bias [m] (or null): [n, m]. */
    public static double[] linear(double[] x, int n, Tensor w, Tensor bias) {
        int m = w.dim(0);
        int k = w.dim(1);
        double[] wv = values(w);
        double[] bv = bias == null ? null : values(bias);
        double[] out = new double[n * m];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < m; j++) {
                double s = bv == null ? 0 : bv[j];
                for (int i = 0; i < k; i++) {
                    s += x[r * k + i] * wv[j * k + i];
                }
                out[r * m + j] = s;
            }
        }
        return out;
    }

    /** RMSNorm of rows of length dim: x / sqrt(mean(x²) + eps) · (offset + w). */
    public static double[] rmsNorm(double[] x, int dim, Tensor weight, double eps, double offset) {
        double[] w = values(weight);
        double[] out = new double[x.length];
        for (int r = 0; r < x.length / dim; r++) {
            double ss = 0;
            for (int i = 0; i < dim; i++) {
                ss += x[r * dim + i] * x[r * dim + i];
            }
            double inv = 1 / Math.sqrt(ss / dim + eps);
            for (int i = 0; i < dim; i++) {
                out[r * dim + i] = x[r * dim + i] * inv * (offset + w[i]);
            }
        }
        return out;
    }

    /** LayerNorm of rows of length dim: (x − mean) / sqrt(var + eps) · w + b (b may be null). */
    public static double[] layerNorm(double[] x, int dim, Tensor weight, Tensor bias, double eps) {
        double[] w = values(weight);
        double[] b = bias == null ? null : values(bias);
        double[] out = new double[x.length];
        for (int r = 0; r < x.length / dim; r++) {
            double mean = 0;
            for (int i = 0; i < dim; i++) {
                mean += x[r * dim + i];
            }
            mean /= dim;
            double var = 0;
            for (int i = 0; i < dim; i++) {
                double d = x[r * dim + i] - mean;
                var += d * d;
            }
            var /= dim;
            double inv = 1 / Math.sqrt(var + eps);
            for (int i = 0; i < dim; i++) {
                out[r * dim + i] = (x[r * dim + i] - mean) * inv * w[i] + (b == null ? 0 : b[i]);
            }
        }
        return out;
    }

    /** An activation by HF name: silu, gelu (erf), gelu_pytorch_tanh, relu. */
    public static double activation(String name, double v) {
        return switch (name) {
            case "silu" -> v / (1 + Math.exp(-v));
            case "gelu" -> 0.5 * v * (1 + erf(v / Math.sqrt(2)));
            case "gelu_pytorch_tanh" -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            case "relu" -> Math.max(v, 0);
            default -> throw new IllegalArgumentException("no reference activation '" + name + "'");
        };
    }

    /** erf to double precision (Abramowitz–Stegun 7.1.26 is too coarse; this series/continued fraction is not). */
    public static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {
            // Maclaurin series: erf x = 2/sqrt(pi) Σ (-1)^n x^(2n+1) / (n! (2n+1))
            double term = ax;
            double sum = ax;
            for (int n = 1; n < 100; n++) {
                term *= -ax * ax / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // continued fraction for erfc
            double f = 0;
            for (int n = 60; n >= 1; n--) {
                f = n / 2.0 / (ax + f);
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -r : r;
    }

    /** MLP: gated = down(act(gate(x)) · up(x)), plain = down(act(up(x))); biases from the map or null. */
    public static double[] mlp(double[] x, int n, String act, Tensor gate, Tensor gateBias, Tensor up, Tensor upBias,
                               Tensor down, Tensor downBias) {
        double[] u = linear(x, n, up, upBias);
        double[] h = new double[u.length];
        if (gate != null) {
            double[] g = linear(x, n, gate, gateBias);
            for (int i = 0; i < h.length; i++) {
                h[i] = activation(act, g[i]) * u[i];
            }
        } else {
            for (int i = 0; i < h.length; i++) {
                h[i] = activation(act, u[i]);
            }
        }
        return linear(h, n, down, downBias);
    }

    /**
     * HF's rotate_half RoPE of rows [t, heads, headDim] at positions; the first rotaryDim elements of each
     * head rotate, element i with i + rotaryDim/2, by angle position · invFreq[i], scaled by attention.
     */
    public static double[] rope(double[] x, int t, int heads, int headDim, int[] positions, double[] invFreq,
                                double attention) {
        int half = invFreq.length;
        double[] out = x.clone();
        for (int r = 0; r < t; r++) {
            for (int h = 0; h < heads; h++) {
                int base = (r * heads + h) * headDim;
                for (int i = 0; i < half; i++) {
                    double angle = positions[r] * invFreq[i];
                    double c = Math.cos(angle) * attention;
                    double s = Math.sin(angle) * attention;
                    double a = x[base + i];
                    double b = x[base + i + half];
                    out[base + i] = a * c - b * s;
                    out[base + i + half] = b * c + a * s;
                }
            }
        }
        return out;
    }

    /** GPT-J / DeepSeek interleaved RoPE: element 2i pairs with 2i+1, rotated by position · invFreq[i]. */
    public static double[] ropeInterleaved(double[] x, int t, int heads, int headDim, int[] positions,
                                           double[] invFreq) {
        double[] out = x.clone();
        for (int r = 0; r < t; r++) {
            for (int h = 0; h < heads; h++) {
                int base = (r * heads + h) * headDim;
                for (int i = 0; i < invFreq.length; i++) {
                    double angle = positions[r] * invFreq[i];
                    double a = x[base + 2 * i];
                    double b = x[base + 2 * i + 1];
                    out[base + 2 * i] = a * Math.cos(angle) - b * Math.sin(angle);
                    out[base + 2 * i + 1] = b * Math.cos(angle) + a * Math.sin(angle);
                }
            }
        }
        return out;
    }

    /**
     * Causal attention of queries q [t, heads, d] at positions start .. start+t-1 over keys and values
     * k, v [s, kvHeads, d] at positions 0 .. s-1: window 0 for none (else keys at > p − window), softcap 0
     * for none. Returns [t, heads, d].
     */
    public static double[] attention(double[] q, int t, int heads, double[] k, double[] v, int s, int kvHeads, int d,
                                     int start, double scale, int window, double softcap) {
        double[] out = new double[t * heads * d];
        int group = heads / kvHeads;
        double[] scores = new double[s];
        for (int r = 0; r < t; r++) {
            int p = start + r;
            for (int h = 0; h < heads; h++) {
                int kvh = h / group;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    boolean visible = j <= p && (window == 0 || j > p - window);
                    if (!visible) {
                        scores[j] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += q[(r * heads + h) * d + i] * k[(j * kvHeads + kvh) * d + i];
                    }
                    double score = dot * scale;
                    if (softcap > 0) {
                        score = softcap * Math.tanh(score / softcap);
                    }
                    scores[j] = score;
                    max = Math.max(max, score);
                }
                double sum = 0;
                for (int j = 0; j < s; j++) {
                    scores[j] = scores[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int j = 0; j < s; j++) {
                    double w = scores[j] / sum;
                    if (w == 0) {
                        continue;
                    }
                    for (int i = 0; i < d; i++) {
                        out[(r * heads + h) * d + i] += w * v[(j * kvHeads + kvh) * d + i];
                    }
                }
            }
        }
        return out;
    }

    /** Element-wise a + b. */
    public static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    /** Rows [from, from + n) of a row-major array with rows of width w. */
    public static double[] rows(double[] x, int width, int from, int n) {
        double[] out = new double[n * width];
        System.arraycopy(x, from * width, out, 0, n * width);
        return out;
    }
}
