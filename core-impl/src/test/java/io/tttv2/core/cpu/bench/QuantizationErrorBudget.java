package io.tttv2.core.cpu.bench;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Quantization;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import java.lang.foreign.Arena;
import java.util.Random;

/**
 * Where a quantised product's error comes from: for one weight matrix [N, K] (normal values, BF16, as a
 * checkpoint's) and activations x [M, K], three products are compared —
 * <ol>
 *   <li>{@code exact}: x · w in float64 from the BF16 weights (what the unquantised model computes, up to its
 *       own float32 rounding);</li>
 *   <li>{@code format}: x · dequantise(q) in float64 — the best any kernel can do with the quantised blocks;</li>
 *   <li>{@code kernel}: our kernel's float32 result on the same blocks.</li>
 * </ol>
 * PCC(format, exact) is the format's own loss; PCC(kernel, format) is ours. Prints both per type, and the
 * relative RMS errors.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp core-impl/target/test-classes:core-impl/target/classes:core-api/target/classes
 * io.tttv2.core.cpu.bench.QuantizationErrorBudget [N] [K] [M]}.
 */
public final class QuantizationErrorBudget {

    private QuantizationErrorBudget() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Random r = new Random(7);
        Arena arena = Arena.ofShared();
        try (CpuDevice device = new CpuDevice(2)) {
            float[] wv = new float[n * k];
            for (int i = 0; i < wv.length; i++) {
                wv[i] = (float) (r.nextGaussian() * 0.02);
            }
            Tensor f32 = Tensor.allocate(arena, DType.F32, n, k);
            f32.copyFrom(wv);
            Tensor bf16 = Tensor.allocate(arena, DType.BF16, n, k);
            device.ops().copy(f32, bf16);
            float[] xv = new float[m * k];
            for (int i = 0; i < xv.length; i++) {
                xv[i] = (float) r.nextGaussian();
            }
            Tensor x = Tensor.allocate(arena, DType.F32, m, k);
            x.copyFrom(xv);
            double[] exact = product(xv, bf16.toFloatArray(), m, n, k);
            System.out.printf("w [%d, %d] ~ N(0, 0.02²) in BF16, x [%d, %d] ~ N(0, 1)%n", n, k, m, k);
            System.out.printf("%-6s %-22s %-22s %-22s%n", "type", "PCC(format, exact)", "PCC(kernel, format)",
                    "rel. RMS format / kernel");
            for (DType type : new DType[] {DType.Q8_0, DType.Q4_0}) {
                Tensor q = Quantization.quantize(bf16, type);
                double[] format = product(xv, q.toFloatArray(), m, n, k);
                Tensor out = Tensor.allocate(arena, DType.F32, m, n);
                device.ops().matmul(x, q, null, out);
                float[] kv = out.toFloatArray();
                double[] kernel = new double[kv.length];
                for (int i = 0; i < kv.length; i++) {
                    kernel[i] = kv[i];
                }
                System.out.printf("%-6s %-22.7f %-22.10f %.3e / %.3e%n", type, pcc(format, exact), pcc(kernel, format),
                        relRms(format, exact), relRms(kernel, format));
            }
        } finally {
            arena.close();
        }
    }

    private static double[] product(float[] x, float[] w, int m, int n, int k) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += (double) x[i * k + t] * w[j * k + t];
                }
                out[i * n + j] = s;
            }
        }
        return out;
    }

    private static double pcc(double[] a, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static double relRms(double[] a, double[] ref) {
        double e = 0, s = 0;
        for (int i = 0; i < a.length; i++) {
            e += (a[i] - ref[i]) * (a[i] - ref[i]);
            s += ref[i] * ref[i];
        }
        return Math.sqrt(e / s);
    }
}
