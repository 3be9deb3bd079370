package io.tttv2.core.cpu.bench;

import io.tttv2.core.cpu.WorkerPool;
import io.tttv2.core.cpu.kernel.Lanes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
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
 * The machine's read bandwidth, the bound a decode matrix–vector kernel streams weights against: a plain
 * vector sum over a segment far larger than the caches (1 GiB, as big as a 1B model's BF16 weights are
 * twice over), split over the pool's workers the way a matmul splits its rows.
 * GB/s = 1.074 / (ms per op / 1000).
 *
 * <p>Run by hand: {@code java -cp <test classpath> org.openjdk.jmh.Main ReadBandwidthBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ReadBandwidthBenchmark {

    private static final long BYTES = 1L << 30;
    /** Bytes per chunk handed to the pool. */
    private static final long CHUNK = 1L << 20;

    @Param({"1", "2"})
    public int workers;

    private WorkerPool pool;
    private MemorySegment data;
    private final float[] sums = new float[(int) (BYTES / CHUNK)];

    @Setup(Level.Trial)
    public void setUp() {
        pool = new WorkerPool(workers, "bandwidth");
        data = Arena.ofAuto().allocate(BYTES, 64);
        for (long i = 0; i < BYTES; i += 4) {
            data.set(Lanes.F32_LE, i, (i & 255) * 1e-3f);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float sum() {
        pool.parallelFor(sums.length, 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                sums[c] = sumChunk(c * CHUNK);
            }
        });
        float s = 0;
        for (float v : sums) {
            s += v;
        }
        return s;
    }

    private float sumChunk(long at) {
        int step = Lanes.L * 4;
        FloatVector a0 = FloatVector.zero(Lanes.F), a1 = a0, a2 = a0, a3 = a0;
        for (long b = at; b < at + CHUNK; b += 4L * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(Lanes.F, data, b, Lanes.LE));
            a1 = a1.add(FloatVector.fromMemorySegment(Lanes.F, data, b + step, Lanes.LE));
            a2 = a2.add(FloatVector.fromMemorySegment(Lanes.F, data, b + 2L * step, Lanes.LE));
            a3 = a3.add(FloatVector.fromMemorySegment(Lanes.F, data, b + 3L * step, Lanes.LE));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
