package io.tttv2.core.cpu.bench;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
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
 * One decode step of attention for {@code rows} sequences (kjv-tiny's shape: 8 query heads over 4 kv heads of
 * dim 32, block size 32), each at position positionsPerRow - 1. FLOPs = rows · 2 (q·k and p·v) · 2 · positionsPerRow · 8 · 32.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AttentionDecodeBenchmark {

    @Param({"F32", "BF16"})
    public String kvType;

    @Param({"1", "2"})
    public int workers;

    /** Sequences decoding together, each a row of q with its own table (a served step of several streams). */
    @Param({"1", "8"})
    public int rows;

    /** Keys of each row (its position + 1). */
    @Param({"64", "256"})
    public int positionsPerRow;

    private static final int HEADS = 8;
    private static final int KV_HEADS = 4;
    private static final int HEAD_DIM = 32;

    private CpuDevice device;
    private Ops ops;
    private PagedKvCache cache;
    private BlockTable[] tables;
    private int[] positions;
    private Tensor q;
    private Tensor out;
    private AttentionParams params;

    @Setup(Level.Trial)
    public void setUp() {
        device = new CpuDevice(workers);
        ops = device.ops();
        cache = device.allocateKvCache(KvCacheSpec.forHeads(1, KV_HEADS, HEAD_DIM, 32, 16 * rows, DType.valueOf(kvType)));
        Random r = new Random(1);
        Arena arena = Arena.ofAuto();
        tables = new BlockTable[rows];
        positions = new int[rows];
        for (int b = 0; b < rows; b++) {
            BlockTable table = cache.newSequence();
            table.reserve(positionsPerRow);
            Tensor k = Tensor.allocate(arena, DType.F32, positionsPerRow, KV_HEADS, HEAD_DIM);
            Tensor v = Tensor.allocate(arena, DType.F32, positionsPerRow, KV_HEADS, HEAD_DIM);
            for (int p = 0; p < positionsPerRow; p++) {
                for (int g = 0; g < KV_HEADS; g++) {
                    for (int i = 0; i < HEAD_DIM; i++) {
                        k.setFloat(r.nextFloat() - 0.5f, p, g, i);
                        v.setFloat(r.nextFloat() - 0.5f, p, g, i);
                    }
                }
            }
            ops.writeKv(cache, 0, table, 0, k, v);
            table.setLength(positionsPerRow);
            tables[b] = table;
            positions[b] = positionsPerRow - 1;
        }
        q = Tensor.allocate(arena, DType.F32, rows, HEADS, HEAD_DIM);
        for (int b = 0; b < rows; b++) {
            for (int h = 0; h < HEADS; h++) {
                for (int i = 0; i < HEAD_DIM; i++) {
                    q.setFloat(r.nextFloat() - 0.5f, b, h, i);
                }
            }
        }
        out = Tensor.allocate(arena, DType.F32, rows, HEADS, HEAD_DIM);
        params = new AttentionParams((float) (1 / Math.sqrt(HEAD_DIM)), true, 0, 0f);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        device.close();
    }

    @Benchmark
    public Tensor attentionDecode() {
        ops.attentionDecode(q, cache, 0, tables, positions, params, out);
        return out;
    }
}
