package io.tttv2.core.cpu.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The single-precision FMA roof of this CPU: independent chains of vector FMAs in the widest float vectors,
 * nothing else in the loop. An FMA's latency (4 cycles on Zen 4) times the FMAs issued per cycle is the number
 * of chains needed to keep the units busy, so the rate rises with the chain count until the roof; the highest
 * rate is the roof to quote. Scores are FLOP per nanosecond (GFLOP/s) per thread: run with {@code -t 2} for both
 * cores ({@code -t 2} reports the sum of the threads).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBenchmark {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int ITERATIONS = 10_000;
    /** FLOP per FMA vector: a multiply and an add per lane. */
    private static final int FLOP = 2 * 16;

    public float a = 0.999f;
    public float b = 1e-3f;

    @Benchmark
    @OperationsPerInvocation(ITERATIONS * 8 * FLOP)
    public float chains8() {
        FloatVector va = FloatVector.broadcast(F, a), vb = FloatVector.broadcast(F, b);
        FloatVector c0 = FloatVector.broadcast(F, 1f), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3);
        FloatVector c4 = c0.add(4), c5 = c0.add(5), c6 = c0.add(6), c7 = c0.add(7);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    @OperationsPerInvocation(ITERATIONS * 12 * FLOP)
    public float chains12() {
        FloatVector va = FloatVector.broadcast(F, a), vb = FloatVector.broadcast(F, b);
        FloatVector c0 = FloatVector.broadcast(F, 1f), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3);
        FloatVector c4 = c0.add(4), c5 = c0.add(5), c6 = c0.add(6), c7 = c0.add(7);
        FloatVector c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
            c8 = c8.fma(va, vb);
            c9 = c9.fma(va, vb);
            c10 = c10.fma(va, vb);
            c11 = c11.fma(va, vb);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    @OperationsPerInvocation(ITERATIONS * 16 * FLOP)
    public float chains16() {
        FloatVector va = FloatVector.broadcast(F, a), vb = FloatVector.broadcast(F, b);
        FloatVector c0 = FloatVector.broadcast(F, 1f), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3);
        FloatVector c4 = c0.add(4), c5 = c0.add(5), c6 = c0.add(6), c7 = c0.add(7);
        FloatVector c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        FloatVector c12 = c0.add(12), c13 = c0.add(13), c14 = c0.add(14), c15 = c0.add(15);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
            c8 = c8.fma(va, vb);
            c9 = c9.fma(va, vb);
            c10 = c10.fma(va, vb);
            c11 = c11.fma(va, vb);
            c12 = c12.fma(va, vb);
            c13 = c13.fma(va, vb);
            c14 = c14.fma(va, vb);
            c15 = c15.fma(va, vb);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .add(c12).add(c13).add(c14).add(c15).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    @OperationsPerInvocation(ITERATIONS * 24 * FLOP)
    public float chains24() {
        FloatVector va = FloatVector.broadcast(F, a), vb = FloatVector.broadcast(F, b);
        FloatVector c0 = FloatVector.broadcast(F, 1f), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3);
        FloatVector c4 = c0.add(4), c5 = c0.add(5), c6 = c0.add(6), c7 = c0.add(7);
        FloatVector c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        FloatVector c12 = c0.add(12), c13 = c0.add(13), c14 = c0.add(14), c15 = c0.add(15);
        FloatVector c16 = c0.add(16), c17 = c0.add(17), c18 = c0.add(18), c19 = c0.add(19);
        FloatVector c20 = c0.add(20), c21 = c0.add(21), c22 = c0.add(22), c23 = c0.add(23);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
            c8 = c8.fma(va, vb);
            c9 = c9.fma(va, vb);
            c10 = c10.fma(va, vb);
            c11 = c11.fma(va, vb);
            c12 = c12.fma(va, vb);
            c13 = c13.fma(va, vb);
            c14 = c14.fma(va, vb);
            c15 = c15.fma(va, vb);
            c16 = c16.fma(va, vb);
            c17 = c17.fma(va, vb);
            c18 = c18.fma(va, vb);
            c19 = c19.fma(va, vb);
            c20 = c20.fma(va, vb);
            c21 = c21.fma(va, vb);
            c22 = c22.fma(va, vb);
            c23 = c23.fma(va, vb);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .add(c12).add(c13).add(c14).add(c15).add(c16).add(c17).add(c18).add(c19).add(c20).add(c21)
                .add(c22).add(c23).reduceLanes(VectorOperators.ADD);
    }
}
