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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The linear layers of one decode step (M = 1) and of a 64-token prefill chunk, with weights in BF16, Q8_0 or
 * Q4_0 (quantised from the same BF16 values), run straight on the ops:
 * <ul>
 *   <li>{@code kjv-tiny}: the embedded model's 6 layers (hidden 256, q 256, kv 128, intermediate 704) and its
 *       untied head [4096, 256]; decode tokens/s of the linear part = 10⁶ / µs per op.</li>
 *   <li>{@code 1b-layer}: one Llama-3.2-1B layer (hidden 2048, q 2048, kv 512, intermediate 8192, 60 M
 *       weights); the 1B model has 16 of them, so its linear decode costs ≈ 16 × this (plus the head).</li>
 * </ul>
 * Run: {@code java -cp core-impl/target/test-classes:… org.openjdk.jmh.Main QuantizedMatmulBenchmark} (see
 * docs/quantization.md). All formats run in one JMH run, so their ratios are comparable even on a loaded machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class QuantizedMatmulBenchmark {

    @Param({"kjv-tiny", "1b-layer"})
    public String shape;

    /**
     * The weight format; a K-quant's weights are random blocks with small scales (we have no K-quant encoder;
     * the speed does not depend on the values), and {@code TYPE/codec} runs them through the codec route
     * ({@link KQuantMatmulKernel}, the in-place kernels' predecessor) on a pool of the same size.
     */
    @Param({"BF16", "Q8_0", "Q4_0", "Q4_K", "Q4_K/codec", "Q5_K", "Q6_K", "Q6_K/codec"})
    public String format;

    @Param({"2"})
    public int workers;

    /**
     * The smallest M of the packed prefill GEMM for this fork, for the float and the block-quantised kernels alike
     * (empty: each kernel's own; 100000: the 4×4 dot-product blocks everywhere).
     */
    @Param({""})
    public String gemmRows;

    private static final int PREFILL = 64;

    private CpuDevice device;
    private Ops ops;
    private WorkerPool codecPool;           // the codec route's workers, or null
    private KQuantMatmulKernel codecKernel;
    private final Arena arena = Arena.ofShared();
    private final List<Tensor> weights = new ArrayList<>();     // each [N, K]
    private final Map<Integer, Tensor> xDecode = new HashMap<>();   // K → [1, K]
    private final Map<Integer, Tensor> xPrefill = new HashMap<>();  // K → [64, K]
    private final Map<Integer, Tensor> outDecode = new HashMap<>(); // N → [1, N]
    private final Map<Integer, Tensor> outPrefill = new HashMap<>();

    @Setup(Level.Trial)
    public void setUp() {
        if (!gemmRows.isEmpty()) {
            // read once when the kernel classes initialise, which the first matmul does
            System.setProperty("tttv2.matmul.gemmRows", gemmRows);
            System.setProperty("tttv2.matmul.quantizedGemmRows", gemmRows);
        }
        device = new CpuDevice(workers);
        ops = device.ops();
        Random r = new Random(1);
        int[][] layer;      // {N, K} per linear of one layer
        int layers;
        int[] head;
        if (shape.equals("kjv-tiny")) {
            layer = new int[][] {{256, 256}, {128, 256}, {128, 256}, {256, 256}, {704, 256}, {704, 256}, {256, 704}};
            layers = 6;
            head = new int[] {4096, 256};
        } else {
            layer = new int[][] {{2048, 2048}, {512, 2048}, {512, 2048}, {2048, 2048}, {8192, 2048}, {8192, 2048}, {2048, 8192}};
            layers = 1;
            head = null;
        }
        DType type = DType.valueOf(format.split("/")[0]);
        if (format.endsWith("/codec")) {
            codecPool = new WorkerPool(workers, "codec-bench");
            codecKernel = new KQuantMatmulKernel(type);
        }
        for (int l = 0; l < layers; l++) {
            for (int[] nk : layer) {
                weights.add(weight(r, nk[0], nk[1], type));
            }
        }
        if (head != null) {
            weights.add(weight(r, head[0], head[1], type));
        }
        for (Tensor w : weights) {
            int n = w.dim(0), k = w.dim(1);
            xDecode.computeIfAbsent(k, kk -> activations(r, 1, kk));
            xPrefill.computeIfAbsent(k, kk -> activations(r, PREFILL, kk));
            outDecode.computeIfAbsent(n, nn -> Tensor.allocate(arena, DType.F32, 1, nn));
            outPrefill.computeIfAbsent(n, nn -> Tensor.allocate(arena, DType.F32, PREFILL, nn));
        }
    }

    private Tensor weight(Random r, int n, int k, DType type) {
        Tensor bf16 = Tensor.allocate(arena, DType.BF16, n, k);
        float scale = (float) (1 / Math.sqrt(k));
        float[] row = new float[k];
        Tensor f32 = Tensor.allocate(arena, DType.F32, n, k);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                row[j] = (r.nextFloat() * 2 - 1) * scale;
            }
            java.lang.foreign.MemorySegment.copy(row, 0, f32.segment(), java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED,
                    (long) i * k * 4, k);
        }
        ops.copy(f32, bf16);
        if (type.isQuantized() && !BlockCodec.of(type).canEncode()) {
            return randomKQuant(r, type, n, k);
        }
        return type == DType.BF16 ? bf16 : Quantization.quantize(bf16, type);
    }

    /** Random K-quant blocks with small finite f16 scales (every bit pattern of the rest is valid). */
    private Tensor randomKQuant(Random r, DType type, int n, int k) {
        Tensor w = Tensor.allocate(arena, type, n, k);
        java.lang.foreign.MemorySegment bytes = w.segment();
        byte[] raw = new byte[(int) bytes.byteSize()];
        r.nextBytes(raw);
        java.lang.foreign.MemorySegment.copy(raw, 0, bytes, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, raw.length);
        java.lang.foreign.ValueLayout.OfShort f16 = java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED
                .withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
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

    private Tensor activations(Random r, int m, int k) {
        float[] v = new float[m * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        Tensor t = Tensor.allocate(arena, DType.F32, m, k);
        t.copyFrom(v);
        return t;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
        if (codecPool != null) {
            codecPool.close();
        }
        arena.close();
    }

    /** Every linear layer of one decode step: x [1, K] · wᵀ. */
    @Benchmark
    public void decode() {
        for (Tensor w : weights) {
            matmul(xDecode.get(w.dim(1)), w, outDecode.get(w.dim(0)));
        }
    }

    /** Every linear layer of a 64-token prefill chunk: x [64, K] · wᵀ. */
    @Benchmark
    public void prefill64() {
        for (Tensor w : weights) {
            matmul(xPrefill.get(w.dim(1)), w, outPrefill.get(w.dim(0)));
        }
    }

    private void matmul(Tensor x, Tensor w, Tensor out) {
        if (codecKernel == null) {
            ops.matmul(x, w, null, out);
            return;
        }
        codecKernel.bind(x, w, null, out);
        int n = w.dim(0);
        codecPool.parallelFor(n, Math.max(4, n / (4 * workers) / 4 * 4), codecKernel);
        codecKernel.unbind();
    }
}
