package io.tttv2.core.cpu.bench;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import io.tttv2.core.cpu.WorkerPool;
import io.tttv2.core.cpu.kernel.Lanes;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
 * BF16 decode (M = 1) matrix–vector products on Llama-3.2-1B's shapes, against the bandwidth roof of the
 * memory the weights live in. Each call takes the next of several copies of the weight, {@value #FOOTPRINT}
 * bytes in all (far past the 32 MiB L3), so every call streams from DRAM as a decode step does.
 *
 * <ul>
 *   <li>{@code variant=kernel}: {@code Ops.matmul}, i.e. MatmulKernel's decode path on the pool;</li>
 *   <li>{@code variant=sum}: a plain vector sum over the same bytes, split over the pool the same way (the roof).</li>
 * </ul>
 * {@code memory}: see {@link WeightMemoryKinds}. GB/s = 2·K·N bytes / time.
 *
 * <p>Run: {@code java -cp <test classpath> org.openjdk.jmh.Main Bf16DecodeBenchmark -p memory=file,huge}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class Bf16DecodeBenchmark {

    static final long FOOTPRINT = 512L << 20;

    /** K x N: gate/up, down, q/o, k/v. */
    @Param({"2048x8192", "8192x2048", "2048x2048", "2048x512"})
    public String shape;

    @Param({"file", "anon", "huge"})
    public String memory;

    @Param({"kernel", "sum"})
    public String variant;

    @Param({"1", "2"})
    public int workers;

    private CpuDevice device;
    private Ops ops;
    private WorkerPool pool;
    private Arena arena;
    private Tensor x;
    private Tensor out;
    private Tensor[] w;
    private int next;
    private float[] sums;
    private MemorySegment segment;
    private long rowBytes;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String[] dims = shape.split("x");
        int k = Integer.parseInt(dims[0]);
        int n = Integer.parseInt(dims[1]);
        long bytes = 2L * n * k;
        int copies = (int) Math.max(2, FOOTPRINT / bytes);
        arena = Arena.ofShared();
        MemorySegment source = Arena.ofAuto().allocate(bytes * copies, 64);
        Random r = new Random(1);
        for (long i = 0; i < bytes * copies; i += 2) {
            source.set(Lanes.I16_LE, i, Lanes.toBf16((r.nextFloat() - 0.5f) * 0.1f));
        }
        segment = WeightMemoryKinds.copy(memory, source, arena);
        System.out.println("\n" + memory + ": " + WeightMemoryKinds.hugePages());
        w = new Tensor[copies];
        for (int c = 0; c < copies; c++) {
            w[c] = Tensor.wrap(segment.asSlice(c * bytes, bytes), DType.BF16, n, k);
        }
        device = new CpuDevice(workers);
        ops = device.ops();
        pool = new WorkerPool(workers, "sum");
        x = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, k);
        for (int j = 0; j < k; j++) {
            x.setFloat(r.nextFloat() - 0.5f, 0, j);
        }
        out = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, n);
        sums = new float[n];
        rowBytes = 2L * k;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
        pool.close();
        arena.close();
    }

    @Benchmark
    public Object matvec() {
        Tensor wc = w[next];
        next = next + 1 == w.length ? 0 : next + 1;
        if (variant.equals("sum")) {
            long base = wc.offset() * 2 + (wc.base().address() - segment.address());
            pool.parallelFor(wc.dim(0), 4, (from, to) -> sums[from] = sumRows(base + from * rowBytes, (to - from) * rowBytes));
            return sums;
        }
        ops.matmul(x, wc, null, out);
        return out;
    }

    private float sumRows(long at, long bytes) {
        int step = Lanes.L * 4;
        FloatVector a0 = FloatVector.zero(Lanes.F), a1 = a0, a2 = a0, a3 = a0;
        for (long b = at; b < at + bytes; b += 4L * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(Lanes.F, segment, b, Lanes.LE));
            a1 = a1.add(FloatVector.fromMemorySegment(Lanes.F, segment, b + step, Lanes.LE));
            a2 = a2.add(FloatVector.fromMemorySegment(Lanes.F, segment, b + 2L * step, Lanes.LE));
            a3 = a3.add(FloatVector.fromMemorySegment(Lanes.F, segment, b + 3L * step, Lanes.LE));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }
}
