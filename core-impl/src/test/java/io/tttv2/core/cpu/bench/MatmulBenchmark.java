package io.tttv2.core.cpu.bench;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import java.lang.foreign.Arena;
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
 * Matmul {@code out[M, N] = x[M, K] · w[N, K]ᵀ} at the shapes of the 6.5M-parameter Llama (hidden 256,
 * intermediate 704, vocab 4096): decode (M = 1) and prefill (M = 128); and of Llama-3.2-1B (hidden 2048,
 * intermediate 8192): decode and a 64-token prefill. GFLOP/s = 2·M·N·K / time; a decode's weight
 * bandwidth = 2·N·K bytes (BF16) / time, to compare with {@link ReadBandwidthBenchmark}. Small batches
 * (M = 2..16: a served decode step of a few sequences) on the 1B shapes compare the in-place small-batch
 * kernel with the widened-tile path through {@code smallBatchRows} (3: every M ≥ 4 tiled, as before it); the
 * packed prefill GEMM with the 4×4 dot-product blocks through {@code gemmRows} (100000: never packed).
 *
 * <p>Run with the test classpath, e.g. {@code java --add-modules jdk.incubator.vector -cp
 * core-impl/target/test-classes:core-impl/target/classes:core-api/target/classes:<jmh-core, jopt-simple,
 * commons-math3> org.openjdk.jmh.Main MatmulBenchmark -p shape=8x2048x8192:BF16 -p smallBatchRows=3,16}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MatmulBenchmark {

    /** M x K x N : weight dtype. */
    @Param({"1x256x704:BF16", "1x704x256:BF16", "1x256x4096:BF16", "1x256x704:F32", "1x256x704:F16",
            "128x256x704:BF16", "128x704x256:BF16", "128x256x4096:BF16",
            "1x2048x2048:BF16", "1x2048x8192:BF16", "1x8192x2048:BF16",
            "64x2048x2048:BF16", "64x2048x8192:BF16", "64x8192x2048:BF16",
            "2x2048x2048:BF16", "2x2048x8192:BF16", "2x8192x2048:BF16",
            "4x2048x2048:BF16", "4x2048x8192:BF16", "4x8192x2048:BF16",
            "8x2048x2048:BF16", "8x2048x8192:BF16", "8x8192x2048:BF16",
            "16x2048x2048:BF16", "16x2048x8192:BF16", "16x8192x2048:BF16"})
    public String shape;

    /** MatmulKernel.SMALL_BATCH_ROWS for this fork (the JMH default: the kernel's own). */
    @Param({""})
    public String smallBatchRows;

    /**
     * MatmulKernel.GEMM_ROWS for this fork (the JMH default: the kernel's own): the smallest M that takes the
     * packed prefill GEMM; 100000 runs every shape through the 4×4 dot-product blocks that preceded it.
     */
    @Param({""})
    public String gemmRows;

    @Param({"1", "2"})
    public int workers;

    private CpuDevice device;
    private Ops ops;
    private Tensor x;
    private Tensor w;
    private Tensor out;

    @Setup(Level.Trial)
    public void setUp() {
        if (!smallBatchRows.isEmpty()) {
            // read once when the kernel class initialises, which the first matmul below does
            System.setProperty("tttv2.matmul.smallBatchRows", smallBatchRows);
        }
        if (!gemmRows.isEmpty()) {
            System.setProperty("tttv2.matmul.gemmRows", gemmRows);
        }
        String[] dims = shape.split(":")[0].split("x");
        int m = Integer.parseInt(dims[0]);
        int k = Integer.parseInt(dims[1]);
        int n = Integer.parseInt(dims[2]);
        DType dtype = DType.valueOf(shape.split(":")[1]);
        device = new CpuDevice(workers);
        ops = device.ops();
        Random r = new Random(1);
        Arena arena = Arena.ofAuto();
        x = Tensor.allocate(arena, DType.F32, m, k);
        w = Tensor.allocate(arena, dtype, n, k);
        out = Tensor.allocate(arena, DType.F32, m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                x.setFloat(r.nextFloat() - 0.5f, i, j);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                w.setFloat((r.nextFloat() - 0.5f) * 0.1f, i, j);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
    }

    @Benchmark
    public Tensor matmul() {
        ops.matmul(x, w, null, out);
        return out;
    }
}
