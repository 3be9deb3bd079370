package io.tttv2.core.cpu.bench;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import io.tttv2.core.cpu.kernel.JavaKernelSwitch;
import io.tttv2.core.cpu.kernel.NativeKernels;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The Java BF16 in-place loops against the native BF16 kernel (bf16_rows.c), round-robin in one JVM: each round
 * runs the shapes once per route, so drift on a shared machine falls on both alike; medians of the rounds are
 * compared. Shapes: the Llama-3.2-1B layer (2048→2048, 2048→512, 2048→8192, 8192→2048; 77 MB of weights, more
 * than L3: decode streams from memory) or kjv-tiny's (256→256, 256→704, 704→256; in cache).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * core-impl/target/test-classes:core-impl/target/classes:core-api/target/classes
 * io.tttv2.core.cpu.bench.NativeBf16Bench [workers] [rounds] [m,m,...] [1b|tiny]}.
 */
public final class NativeBf16Bench {

    private static final int[][] SHAPES_1B = {{2048, 2048}, {512, 2048}, {8192, 2048}, {2048, 8192}};   // {N, K}
    private static final int[][] SHAPES_TINY = {{256, 256}, {704, 256}, {256, 704}};

    private NativeBf16Bench() {
    }

    public static void main(String[] args) {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int[] ms = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 8, 16};
        boolean tiny = args.length > 3 && args[3].equals("tiny");
        int[][] shapes = tiny ? SHAPES_TINY : SHAPES_1B;
        System.out.println(NativeKernels.STATUS);
        Arena arena = Arena.ofShared();
        try (CpuDevice device = new CpuDevice(workers)) {
            Ops ops = device.ops();
            Random r = new Random(1);
            List<Tensor> weights = new ArrayList<>();
            long macs = 0;
            for (int[] nk : shapes) {
                weights.add(weight(arena, r, nk[0], nk[1]));
                macs += (long) nk[0] * nk[1];
            }
            for (int m : ms) {
                int calls = tiny ? 200 : m == 1 ? 10 : 2;
                List<Tensor> xs = new ArrayList<>();
                List<Tensor> outs = new ArrayList<>();
                for (Tensor w : weights) {
                    xs.add(activations(arena, r, m, w.dim(1)));
                    outs.add(Tensor.allocate(arena, DType.F32, m, w.dim(0)));
                }
                double[][] times = new double[2][rounds];   // [java, native][round]
                for (int round = -3; round < rounds; round++) {              // 3 warm-up rounds
                    for (int route = 0; route < 2; route++) {
                        boolean old = JavaKernelSwitch.set(DType.BF16, route == 0);
                        long t0 = System.nanoTime();
                        for (int c = 0; c < calls; c++) {
                            for (int i = 0; i < weights.size(); i++) {
                                ops.matmul(xs.get(i), weights.get(i), null, outs.get(i));
                            }
                        }
                        double ms1 = (System.nanoTime() - t0) / 1e6 / calls;
                        JavaKernelSwitch.set(DType.BF16, old);
                        if (round >= 0) {
                            times[route][round] = ms1;
                        }
                    }
                }
                double j = median(times[0]);
                double n = median(times[1]);
                System.out.printf("M = %2d, %d workers, %d rounds, %s shapes: java %8.3f ms (%5.1f GMAC/s)  native %8.3f ms"
                        + " (%5.1f GMAC/s)  speed-up %.2fx%n", m, workers, rounds, tiny ? "kjv-tiny" : "1B", j,
                        macs * m / j / 1e6, n, macs * m / n / 1e6, j / n);
            }
        } finally {
            arena.close();
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static Tensor weight(Arena arena, Random r, int n, int k) {
        float[] v = new float[n * k];
        float scale = (float) (1 / Math.sqrt(k));
        for (int i = 0; i < v.length; i++) {
            v[i] = (r.nextFloat() * 2 - 1) * scale;
        }
        Tensor f32 = Tensor.allocate(arena, DType.F32, n, k);
        f32.copyFrom(v);
        Tensor bf16 = Tensor.allocate(arena, DType.BF16, n, k);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                bf16.setFloat(v[i * k + c], i, c);
            }
        }
        return bf16;
    }

    private static Tensor activations(Arena arena, Random r, int m, int k) {
        float[] v = new float[m * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        Tensor t = Tensor.allocate(arena, DType.F32, m, k);
        t.copyFrom(v);
        return t;
    }
}
