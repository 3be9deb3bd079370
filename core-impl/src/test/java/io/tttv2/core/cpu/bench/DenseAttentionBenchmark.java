package io.tttv2.core.cpu.bench;

import io.tttv2.api.ops.AttentionParams;
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
 * The encoder's attention op ({@code Ops.attention}) at BERT-base's shape: a batch of 4 sequences of 128
 * tokens, 12 heads of dim 64, two of the sequences padded by 32 tokens, with and without a T5-style additive
 * bias [heads, 128, 128]. FLOPs of the unpadded work ≈ 2 (q·k and p·v) · 2 · 4 · 128 · 128 · 12 · 64 ≈ 201 M.
 * Run by hand: {@code java -cp <test classpath> org.openjdk.jmh.Main DenseAttentionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DenseAttentionBenchmark {

    private static final int BATCH = 4;
    private static final int TOKENS = 128;
    private static final int HEADS = 12;
    private static final int HEAD_DIM = 64;

    @Param({"1", "2"})
    public int workers;

    @Param({"false", "true"})
    public boolean bias;

    private CpuDevice device;
    private Ops ops;
    private Tensor q;
    private Tensor k;
    private Tensor v;
    private Tensor scoreBias;
    private boolean[] keyMask;
    private Tensor out;
    private AttentionParams params;

    @Setup(Level.Trial)
    public void setUp() {
        device = new CpuDevice(workers);
        ops = device.ops();
        Random r = new Random(1);
        q = random(r, BATCH, TOKENS, HEADS, HEAD_DIM);
        k = random(r, BATCH, TOKENS, HEADS, HEAD_DIM);
        v = random(r, BATCH, TOKENS, HEADS, HEAD_DIM);
        scoreBias = bias ? random(r, HEADS, TOKENS, TOKENS) : null;
        keyMask = new boolean[BATCH * TOKENS];
        for (int b = 0; b < BATCH; b++) {
            int length = b % 2 == 0 ? TOKENS : TOKENS - 32;
            for (int t = 0; t < length; t++) {
                keyMask[b * TOKENS + t] = true;
            }
        }
        out = Tensor.allocate(Arena.ofAuto(), DType.F32, BATCH, TOKENS, HEADS, HEAD_DIM);
        params = new AttentionParams((float) (1 / Math.sqrt(HEAD_DIM)), false, 0, 0f);
    }

    private static Tensor random(Random r, int... shape) {
        Tensor t = Tensor.allocate(Arena.ofAuto(), DType.F32, shape);
        float[] values = new float[(int) t.elementCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextFloat() - 0.5f;
        }
        t.copyFrom(values);
        return t;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
    }

    @Benchmark
    public Tensor attention() {
        ops.attention(q, k, v, keyMask, scoreBias, params, out);
        return out;
    }
}
