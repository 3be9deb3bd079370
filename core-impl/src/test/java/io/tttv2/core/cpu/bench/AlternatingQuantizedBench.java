package io.tttv2.core.cpu.bench;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.BlockCodec;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Quantization;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import io.tttv2.core.cpu.WorkerPool;
import io.tttv2.core.cpu.kernel.KQuantMatmulKernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The decode (M = 1) and 64-row prefill products of one Llama-3.2-1B layer's linear weights (hidden 2048, kv
 * 512, intermediate 8192; 60 M weights) in every block format, timed round-robin in one JVM: each round runs
 * every format once, so a loaded machine's drift falls on all of them alike, and medians over rounds are
 * compared. JMH runs its configurations one after another, which on a shared machine under a changing load
 * made the ratios meaningless; this is the tool the ratios in docs/quantization.md come from.
 *
 * <p>{@code TYPE/codec} is a K-quant through the codec route ({@link KQuantMatmulKernel}, what the in-place
 * kernels replaced) on a pool of the same size. K-quant weights are random blocks with small scales (no
 * encoder here; the speed does not depend on the values).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp core-impl/target/test-classes:core-impl/target/classes:core-api/target/classes
 * io.tttv2.core.cpu.bench.AlternatingQuantizedBench [workers] [rounds] [decode|prefill] [formats,…]}.
 */
public final class AlternatingQuantizedBench {

    private static final int[][] LAYER = {{2048, 2048}, {512, 2048}, {512, 2048}, {2048, 2048}, {8192, 2048},
        {8192, 2048}, {2048, 8192}};

    private AlternatingQuantizedBench() {
    }

    public static void main(String[] args) {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        boolean prefill = args.length > 2 && args[2].equals("prefill");
        String[] formats = args.length > 3 ? args[3].split(",")
                : new String[] {"BF16", "Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K", "Q4_K/codec", "Q6_K/codec"};
        int m = prefill ? 64 : 1;
        Arena arena = Arena.ofShared();
        try (CpuDevice device = new CpuDevice(workers); WorkerPool pool = new WorkerPool(workers, "codec-bench")) {
            Ops ops = device.ops();
            Random r = new Random(1);
            Map<String, Runnable> runs = new LinkedHashMap<>();
            Map<Integer, Tensor> xs = new java.util.HashMap<>();
            Map<Integer, Tensor> outs = new java.util.HashMap<>();
            for (String format : formats) {
                DType type = DType.valueOf(format.split("/")[0]);
                List<Tensor> ws = new ArrayList<>();
                for (int[] nk : LAYER) {
                    ws.add(weight(arena, ops, r, nk[0], nk[1], type));
                    xs.computeIfAbsent(nk[1], k -> activations(arena, r, m, k));
                    outs.computeIfAbsent(nk[0], n -> Tensor.allocate(arena, DType.F32, m, n));
                }
                KQuantMatmulKernel codec = format.endsWith("/codec") ? new KQuantMatmulKernel(type) : null;
                runs.put(format, () -> {
                    for (Tensor w : ws) {
                        Tensor x = xs.get(w.dim(1));
                        Tensor out = outs.get(w.dim(0));
                        if (codec == null) {
                            ops.matmul(x, w, null, out);
                        } else {
                            codec.bind(x, w, null, out);
                            pool.parallelFor(w.dim(0), Math.max(4, w.dim(0) / (4 * workers) / 4 * 4), codec);
                            codec.unbind();
                        }
                    }
                });
            }
            int calls = prefill ? 1 : 5;
            for (Runnable run : runs.values()) {              // warm-up: compile every loop
                long until = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < until) {
                    run.run();
                }
            }
            Map<String, double[]> times = new LinkedHashMap<>();
            runs.keySet().forEach(f -> times.put(f, new double[rounds]));
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, Runnable> e : runs.entrySet()) {
                    long t0 = System.nanoTime();
                    for (int c = 0; c < calls; c++) {
                        e.getValue().run();
                    }
                    times.get(e.getKey())[round] = (System.nanoTime() - t0) / 1e6 / calls;
                }
            }
            System.out.printf("%s, M = %d, %d workers, %d rounds (ms per layer: median, min)%n",
                    prefill ? "prefill" : "decode", m, workers, rounds);
            for (Map.Entry<String, double[]> e : times.entrySet()) {
                double[] t = e.getValue().clone();
                Arrays.sort(t);
                System.out.printf("  %-12s %9.2f %9.2f%n", e.getKey(), t[t.length / 2], t[0]);
            }
        } finally {
            arena.close();
        }
    }

    private static Tensor weight(Arena arena, Ops ops, Random r, int n, int k, DType type) {
        if (type.isQuantized() && !BlockCodec.of(type).canEncode()) {
            Tensor w = Tensor.allocate(arena, type, n, k);
            MemorySegment bytes = w.segment();
            byte[] raw = new byte[(int) bytes.byteSize()];
            r.nextBytes(raw);
            MemorySegment.copy(raw, 0, bytes, ValueLayout.JAVA_BYTE, 0, raw.length);
            ValueLayout.OfShort f16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            short d = Float.floatToFloat16(1e-4f);
            for (long b = 0; b < bytes.byteSize(); b += type.blockBytes()) {
                if (type == DType.Q6_K) {
                    bytes.set(f16, b + 208, d);
                } else {
                    bytes.set(f16, b, d);
                    bytes.set(f16, b + 2, d);
                }
            }
            return w;
        }
        float[] v = new float[n * k];
        float scale = (float) (1 / Math.sqrt(k));
        for (int i = 0; i < v.length; i++) {
            v[i] = (r.nextFloat() * 2 - 1) * scale;
        }
        Tensor f32 = Tensor.allocate(arena, DType.F32, n, k);
        f32.copyFrom(v);
        Tensor bf16 = Tensor.allocate(arena, DType.BF16, n, k);
        ops.copy(f32, bf16);
        return type == DType.BF16 ? bf16 : Quantization.quantize(bf16, type);
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
