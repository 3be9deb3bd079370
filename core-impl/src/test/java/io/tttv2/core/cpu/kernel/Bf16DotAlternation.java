package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Matmuls with BF16 weights on the 1B's shapes, {@link MatmulPrecision#F32} (today's routes: bf16_rows.c for
 * M ≤ 16, bf16_gemm.c past it) and {@link MatmulPrecision#BF16} (bf16_dot.c) alternating round by round in one JVM
 * through a CPU device (a loaded machine slows both alike); prints per shape the median time of each, its GMAC/s,
 * and the median of the per-round ratios.
 * A command, not a test: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * core-impl/target/test-classes:core-impl/target/classes:core-api/target/classes
 * io.tttv2.core.cpu.kernel.Bf16DotAlternation [rounds] [workers] [M,M,...]}.
 */
public final class Bf16DotAlternation {

    private Bf16DotAlternation() {
    }

    private record Shape(String name, int k, int n) {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int[] ms = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 8, 16, 64};
        List<Shape> shapes = List.of(new Shape("1B q/o", 2048, 2048), new Shape("1B gate", 2048, 8192),
                new Shape("1B down", 8192, 2048));
        Random r = new Random(1);
        Arena arena = Arena.ofShared();
        try (CpuDevice device = new CpuDevice(workers)) {
            for (Shape s : shapes) {
                Tensor w = Tensor.allocate(arena, DType.BF16, s.n, s.k);
                for (int i = 0; i < s.n; i++) {
                    for (int j = 0; j < s.k; j++) {
                        w.setFloat((r.nextFloat() - 0.5f) / 16, i, j);
                    }
                }
                for (int m : ms) {
                    Tensor x = Tensor.allocate(arena, DType.F32, m, s.k);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < s.k; j++) {
                            x.setFloat(r.nextFloat() - 0.5f, i, j);
                        }
                    }
                    Tensor outF = Tensor.allocate(arena, DType.F32, m, s.n);
                    Tensor outB = Tensor.allocate(arena, DType.F32, m, s.n);
                    Runnable f32 = () -> {
                        MatmulKernel.precisionOnThisThread(MatmulPrecision.F32);
                        device.ops().matmul(x, w, null, outF);
                    };
                    Runnable bf16 = () -> {
                        MatmulKernel.precisionOnThisThread(MatmulPrecision.BF16);
                        device.ops().matmul(x, w, null, outB);
                    };
                    int reps = (int) Math.max(3, 3e8 / ((double) m * s.k * s.n));
                    for (int i = 0; i < 3; i++) {
                        time(f32, reps);
                        time(bf16, reps);
                    }
                    double[] tf = new double[rounds];
                    double[] tb = new double[rounds];
                    double[] ratio = new double[rounds];
                    for (int i = 0; i < rounds; i++) {
                        tf[i] = time(f32, reps);
                        tb[i] = time(bf16, reps);
                        ratio[i] = tf[i] / tb[i];
                    }
                    double macs = (double) m * s.k * s.n;
                    double worst = 0;
                    for (int i = 0; i < m; i++) {
                        for (int c = 0; c < s.n; c++) {
                            worst = Math.max(worst, Math.abs(outF.getFloat(i, c) - outB.getFloat(i, c)));
                        }
                    }
                    System.out.printf("%-8s M=%-3d K=%d N=%d: f32 %.1f µs (%.1f GMAC/s), bf16 %.1f µs (%.1f GMAC/s),"
                            + " median ratio %.2f×, max |Δ| %.2e%n", s.name, m, s.k, s.n, median(tf) / 1e3,
                            macs / median(tf), median(tb) / 1e3, macs / median(tb), median(ratio), worst);
                }
            }
        }
        MatmulKernel.precisionOnThisThread(null);
    }

    private static double time(Runnable call, int reps) {
        long t = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            call.run();
        }
        return (System.nanoTime() - t) / (double) reps;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
