package io.tttv2.core.cpu.bench;

import io.tttv2.core.cpu.WorkerPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The cost of one parallel loop with a trivial body: publishing it, the workers claiming chunks, and
 * waiting for completion — the hand-off overhead every parallel op pays, back to back as in a decode step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class WorkerPoolBenchmark {

    @Param({"1", "2"})
    public int workers;

    private WorkerPool pool;
    private final AtomicLong sink = new AtomicLong();
    private final WorkerPool.RangeBody body = (from, to) -> sink.addAndGet(to - from);

    @Setup(Level.Trial)
    public void setUp() {
        pool = new WorkerPool(workers, "bench-pool");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public long emptyParallelLoop() {
        pool.parallelFor(64, 1, body);
        return sink.get();
    }
}
