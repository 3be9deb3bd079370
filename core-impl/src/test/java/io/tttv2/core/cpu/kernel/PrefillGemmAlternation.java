package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Quantization;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.WorkerPool;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The prefill linears of one Llama-3.2-1B layer (64 prompt rows; q, k, v, o, gate, up, down) through the packed
 * GEMM and through the 4×4 dot-product blocks it replaced, old and new alternating round by round in one JVM on
 * one pool, so that a loaded machine slows both alike; prints per format the median layer time of each, the
 * GFLOP/s, and the median of the per-round ratios. A command, not a test:
 * {@code java --add-modules jdk.incubator.vector -cp core-impl/target/test-classes:core-impl/target/classes:
 * core-api/target/classes io.tttv2.core.cpu.kernel.PrefillGemmAlternation [rounds] [formats] [rows] [threads]}.
 */
public final class PrefillGemmAlternation {

    private static final int[][] LAYER = {{2048, 2048}, {512, 2048}, {512, 2048}, {2048, 2048}, {8192, 2048},
            {8192, 2048}, {2048, 8192}};

    private PrefillGemmAlternation() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String[] formats = (args.length > 1 ? args[1] : "BF16,Q8_0,Q4_0").split(",");
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Arena arena = Arena.ofShared();
        Random r = new Random(1);
        try (WorkerPool pool = new WorkerPool(threads, "alternation")) {
            for (String format : formats) {
                DType type = DType.valueOf(format);
                List<Tensor> w = new ArrayList<>();
                List<Tensor> x = new ArrayList<>();
                List<Tensor> out = new ArrayList<>();
                double flops = 0;
                for (int[] nk : LAYER) {
                    w.add(weight(arena, r, nk[0], nk[1], type));
                    x.add(random(arena, r, m, nk[1]));
                    out.add(Tensor.allocate(arena, DType.F32, m, nk[0]));
                    flops += 2.0 * m * nk[0] * nk[1];
                }
                WorkerPool.RangeBody[] old = new WorkerPool.RangeBody[LAYER.length];
                WorkerPool.RangeBody[] neu = new WorkerPool.RangeBody[LAYER.length];
                for (int i = 0; i < LAYER.length; i++) {
                    old[i] = kernel(type, Integer.MAX_VALUE, x.get(i), w.get(i), out.get(i));
                    neu[i] = kernel(type, 1, x.get(i), w.get(i), out.get(i));
                }
                for (int warm = 0; warm < 5; warm++) {
                    layer(pool, old, x, w, out);
                    layer(pool, neu, x, w, out);
                }
                double[] tOld = new double[rounds];
                double[] tNew = new double[rounds];
                double[] ratio = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    if (round % 2 == 0) {
                        tOld[round] = layer(pool, old, x, w, out);
                        tNew[round] = layer(pool, neu, x, w, out);
                    } else {
                        tNew[round] = layer(pool, neu, x, w, out);
                        tOld[round] = layer(pool, old, x, w, out);
                    }
                    ratio[round] = tOld[round] / tNew[round];
                }
                double mo = median(tOld), mn = median(tNew);
                System.out.printf("%-5s M=%d  dot-product blocks %8.2f ms (%5.1f GFLOP/s)   packed GEMM %8.2f ms (%5.1f GFLOP/s)"
                                + "   speed-up: median of rounds %.2fx%n",
                        format, m, mo / 1e6, flops / mo, mn / 1e6, flops / mn, median(ratio));
            }
        }
    }

    private static WorkerPool.RangeBody kernel(DType type, int gemmRows, Tensor x, Tensor w, Tensor out) {
        if (type.isQuantized()) {
            QuantizedMatmulKernel k = type == DType.Q8_0 ? new Q8_0MatmulKernel() : new Q4_0MatmulKernel();
            k.gemmRows = gemmRows;
            k.bind(x, w, null, out);
            return k;
        }
        MatmulKernel k = new MatmulKernel();
        k.gemmRows = gemmRows;
        k.bind(x, w, null, out);
        return k;
    }

    /** Nanoseconds for the layer's matmuls, each bound and run over the pool as CpuOps runs it. */
    private static double layer(WorkerPool pool, WorkerPool.RangeBody[] kernels, List<Tensor> x, List<Tensor> w,
                                List<Tensor> out) {
        long t0 = System.nanoTime();
        for (int i = 0; i < kernels.length; i++) {
            if (kernels[i] instanceof MatmulKernel mk) {
                mk.bind(x.get(i), w.get(i), null, out.get(i));
            } else {
                ((QuantizedMatmulKernel) kernels[i]).bind(x.get(i), w.get(i), null, out.get(i));
            }
            pool.parallelFor(w.get(i).dim(0), MatmulKernel.ROW_BLOCK, kernels[i]);
        }
        return System.nanoTime() - t0;
    }

    private static Tensor weight(Arena arena, Random r, int n, int k, DType type) {
        Tensor f32 = Tensor.allocate(arena, DType.F32, n, k);
        float scale = (float) (1 / Math.sqrt(k));
        float[] row = new float[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                row[j] = (r.nextFloat() * 2 - 1) * scale;
            }
            java.lang.foreign.MemorySegment.copy(row, 0, f32.segment(), Lanes.F32_LE, (long) i * k * 4, k);
        }
        Tensor bf16 = Tensor.allocate(arena, DType.BF16, n, k);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                bf16.setFloat(f32.getFloat(i, j), i, j);
            }
        }
        return type == DType.BF16 ? bf16 : Quantization.quantize(bf16, type);
    }

    private static Tensor random(Arena arena, Random r, int m, int k) {
        float[] v = new float[m * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        Tensor t = Tensor.allocate(arena, DType.F32, m, k);
        t.copyFrom(v);
        return t;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
