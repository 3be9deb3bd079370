package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.WorkerPool;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Random;

/**
 * The BF16 prefill linears of one layer (q, k, v, o, gate, up, down) through the Java routes (PrefillGemm for
 * K ≥ 1024, else the 4×4 blocks) and through the native GEMM ({@link NativeBf16Gemm}), alternating round by round
 * in one JVM on one pool (equal chunks, as CpuOps runs a prefill matmul), so a loaded machine slows both alike;
 * prints the median layer time of each, GFLOP/s, and the median of the per-round ratios. Shapes: {@code 1b}
 * (Llama-3.2-1B: hidden 2048, KV 512, MLP 8192) or {@code tiny} (kjv-tiny: 256, 128, 704). A command, not a test:
 * {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp core-impl/target/test-classes:
 * core-impl/target/classes:core-api/target/classes io.tttv2.core.cpu.kernel.NativeBf16GemmAlternation
 * [rounds] [1b|tiny] [rows] [threads]}.
 */
public final class NativeBf16GemmAlternation {

    private static final int[][] LAYER_1B = {{2048, 2048}, {512, 2048}, {512, 2048}, {2048, 2048}, {8192, 2048},
            {8192, 2048}, {2048, 8192}};
    private static final int[][] LAYER_TINY = {{256, 256}, {128, 256}, {128, 256}, {256, 256}, {704, 256},
            {704, 256}, {256, 704}};

    private NativeBf16GemmAlternation() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int[][] layer = args.length > 1 && args[1].equals("tiny") ? LAYER_TINY : LAYER_1B;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        System.out.println(NativeKernels.STATUS);
        Arena arena = Arena.ofShared();
        Random r = new Random(1);
        Tensor[] x = new Tensor[layer.length];
        Tensor[] w = new Tensor[layer.length];
        Tensor[] out = new Tensor[layer.length];
        double flops = 0;
        for (int i = 0; i < layer.length; i++) {
            w[i] = random(arena, r, DType.BF16, layer[i][0], layer[i][1]);
            x[i] = random(arena, r, DType.F32, m, layer[i][1]);
            out[i] = Tensor.allocate(arena, DType.F32, m, layer[i][0]);
            flops += 2.0 * m * layer[i][0] * layer[i][1];
        }
        MatmulKernel java = new MatmulKernel();
        java.nativeRoute = false;
        MatmulKernel nat = new MatmulKernel();
        try (WorkerPool pool = new WorkerPool(threads, "alternation")) {
            for (int warm = 0; warm < 5; warm++) {
                layer(pool, java, x, w, out);
                layer(pool, nat, x, w, out);
            }
            double[] tJava = new double[rounds];
            double[] tNative = new double[rounds];
            double[] ratio = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                if (round % 2 == 0) {
                    tJava[round] = layer(pool, java, x, w, out);
                    tNative[round] = layer(pool, nat, x, w, out);
                } else {
                    tNative[round] = layer(pool, nat, x, w, out);
                    tJava[round] = layer(pool, java, x, w, out);
                }
                ratio[round] = tJava[round] / tNative[round];
            }
            double mj = median(tJava);
            double mn = median(tNative);
            System.out.printf("M=%d %d threads: Java %8.2f ms (%5.1f GFLOP/s)   native %8.2f ms (%5.1f GFLOP/s)"
                    + "   speed-up: median of rounds %.2fx%n", m, threads, mj / 1e6, flops / mj, mn / 1e6, flops / mn,
                    median(ratio));
        }
    }

    /** Nanoseconds for the layer's matmuls, each bound and run over the pool in equal chunks. */
    private static double layer(WorkerPool pool, MatmulKernel kernel, Tensor[] x, Tensor[] w, Tensor[] out) {
        long t0 = System.nanoTime();
        for (int i = 0; i < w.length; i++) {
            kernel.bind(x[i], w[i], null, out[i]);
            pool.parallelFor(w[i].dim(0), MatmulKernel.ROW_BLOCK, kernel);
            kernel.unbind();
        }
        return System.nanoTime() - t0;
    }

    private static Tensor random(Arena arena, Random r, DType type, int rows, int cols) {
        Tensor t = Tensor.allocate(arena, type, rows, cols);
        float scale = type == DType.F32 ? 1 : (float) (1 / Math.sqrt(cols));
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t.setFloat((r.nextFloat() * 2 - 1) * scale, i, j);
            }
        }
        return t;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
