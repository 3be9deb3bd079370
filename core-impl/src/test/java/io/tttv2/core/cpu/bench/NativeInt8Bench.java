package io.tttv2.core.cpu.bench;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Quantization;
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
 * The Java Q8_0/Q4_0 kernels against the native int8 ones, round-robin in one JVM on the Llama-3.2-1B layer
 * shapes (2048→2048, 2048→512, 2048→8192, 8192→2048), decode (M = 1) and prefill (M = 64): each round runs the
 * four products once per (format, route), so drift on a shared machine falls on every route alike; medians of
 * the rounds are compared.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * core-impl/target/test-classes:core-impl/target/classes:core-api/target/classes
 * io.tttv2.core.cpu.bench.NativeInt8Bench [workers] [rounds] [m]}.
 */
public final class NativeInt8Bench {

    private static final int[][] SHAPES = {{2048, 2048}, {512, 2048}, {8192, 2048}, {2048, 8192}};   // {N, K}

    private NativeInt8Bench() {
    }

    public static void main(String[] args) {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int[] ms = args.length > 2 ? new int[] {Integer.parseInt(args[2])} : new int[] {1, 64};
        System.out.println(NativeKernels.STATUS);
        Arena arena = Arena.ofShared();
        try (CpuDevice device = new CpuDevice(workers)) {
            Ops ops = device.ops();
            Random r = new Random(1);
            DType[] types = {DType.Q8_0, DType.Q4_0};
            List<List<Tensor>> weights = new ArrayList<>();
            for (DType type : types) {
                List<Tensor> ws = new ArrayList<>();
                for (int[] nk : SHAPES) {
                    ws.add(weight(arena, ops, r, nk[0], nk[1], type));
                }
                weights.add(ws);
            }
            for (int m : ms) {
                int calls = m == 1 ? 20 : 1;
                double[][][] times = new double[types.length][2][rounds];   // [format][java, native][round]
                for (int round = -3; round < rounds; round++) {              // 3 warm-up rounds
                    for (int t = 0; t < types.length; t++) {
                        for (int route = 0; route < 2; route++) {
                            boolean old = JavaKernelSwitch.set(types[t], route == 0);
                            long t0 = System.nanoTime();
                            for (int c = 0; c < calls; c++) {
                                for (Tensor w : weights.get(t)) {
                                    Tensor x = activations(arena, m, w.dim(1));
                                    Tensor out = output(arena, m, w.dim(0));
                                    ops.matmul(x, w, null, out);
                                }
                            }
                            double ms1 = (System.nanoTime() - t0) / 1e6 / calls;
                            JavaKernelSwitch.set(types[t], old);
                            if (round >= 0) {
                                times[t][route][round] = ms1;
                            }
                        }
                    }
                }
                System.out.printf("M = %d, %d workers, %d rounds: ms for the 4 shapes (median), Java / native%n",
                        m, workers, rounds);
                for (int t = 0; t < types.length; t++) {
                    double j = median(times[t][0]);
                    double n = median(times[t][1]);
                    System.out.printf("  %-5s java %8.3f  native %8.3f  speed-up %.2fx%n", types[t], j, n, j / n);
                }
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

    private static Tensor weight(Arena arena, Ops ops, Random r, int n, int k, DType type) {
        float[] v = new float[n * k];
        float scale = (float) (1 / Math.sqrt(k));
        for (int i = 0; i < v.length; i++) {
            v[i] = (r.nextFloat() * 2 - 1) * scale;
        }
        Tensor f32 = Tensor.allocate(arena, DType.F32, n, k);
        f32.copyFrom(v);
        Tensor bf16 = Tensor.allocate(arena, DType.BF16, n, k);
        ops.copy(f32, bf16);
        return Quantization.quantize(bf16, type);
    }

    private static final java.util.Map<Long, Tensor> X = new java.util.HashMap<>();

    private static final java.util.Map<Long, Tensor> OUT = new java.util.HashMap<>();

    /** The same out [m, n] every time (made once). */
    private static Tensor output(Arena arena, int m, int n) {
        return OUT.computeIfAbsent((long) m << 32 | n, key -> Tensor.allocate(arena, DType.F32, m, n));
    }

    /** The same x [m, k] every time (made once). */
    private static Tensor activations(Arena arena, int m, int k) {
        return X.computeIfAbsent((long) m << 32 | k, key -> {
            Random r = new Random(k);
            float[] v = new float[m * k];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextFloat() * 2 - 1;
            }
            Tensor t = Tensor.allocate(arena, DType.F32, m, k);
            t.copyFrom(v);
            return t;
        });
    }
}
