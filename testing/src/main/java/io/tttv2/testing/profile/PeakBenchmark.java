package io.tttv2.testing.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A short micro-benchmark of the machine's roofs, on {@code threads} threads at once: fused multiply-add
 * throughput (eight independent FMA chains per thread in the widest float vectors, so the FMA units, not
 * their latency, bound it) and read bandwidth (each thread sums its slice of an array far larger than the
 * caches). Both are compiled before they are timed, and each is the best of many repetitions: on a shared
 * machine the best is the closest to the roof.
 */
public final class PeakBenchmark {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** 64 MiB of floats per pass: well beyond any last-level cache here. */
    private static final int ARRAY_FLOATS = 16 << 20;
    /** Short repetitions, many: on a shared machine the best of many short windows finds the cores free. */
    private static final int FMA_REPETITIONS = 40;
    private static final int FMA_ITERATIONS = 400_000;
    private static final int READ_REPETITIONS = 30;

    private PeakBenchmark() {
    }

    /** Measures both roofs with {@code threads} threads; takes about a second. */
    public static MachinePeak measure(int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, found " + threads);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tttv2-peak");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int r = 0; r < 200; r++) {
                fmaChains(2_000, r);        // compiled (vector intrinsics) before anything is timed
            }
            double flops = 0;
            for (int r = 0; r < FMA_REPETITIONS; r++) {
                flops = Math.max(flops, fmaRate(pool, threads, FMA_ITERATIONS));
            }
            float[] data = new float[ARRAY_FLOATS];
            for (int i = 0; i < data.length; i++) {
                data[i] = (i & 1023) * 1e-3f;
            }
            for (int r = 0; r < 50; r++) {
                sum(data, 0, 1 << 14);
            }
            double bandwidth = 0;
            for (int r = 0; r < READ_REPETITIONS; r++) {
                bandwidth = Math.max(bandwidth, readRate(pool, threads, data));
            }
            return new MachinePeak(flops, bandwidth);
        } finally {
            pool.shutdownNow();
        }
    }

    /** GFLOP/s of {@code iterations} × 8 vector FMAs on every thread. */
    private static double fmaRate(ExecutorService pool, int threads, int iterations) {
        long t0 = System.nanoTime();
        double sink = run(pool, threads, t -> fmaChains(iterations, t));
        long elapsed = System.nanoTime() - t0;
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("FMA chains diverged");
        }
        double flops = 2.0 * F.length() * 8 * iterations * threads;
        return flops / elapsed;
    }

    private static double fmaChains(int iterations, int seed) {
        FloatVector a = FloatVector.broadcast(F, 0.999f);
        FloatVector b = FloatVector.broadcast(F, 1e-3f);
        FloatVector c0 = FloatVector.broadcast(F, seed);
        FloatVector c1 = c0.add(1);
        FloatVector c2 = c0.add(2);
        FloatVector c3 = c0.add(3);
        FloatVector c4 = c0.add(4);
        FloatVector c5 = c0.add(5);
        FloatVector c6 = c0.add(6);
        FloatVector c7 = c0.add(7);
        for (int i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).reduceLanes(VectorOperators.ADD);
    }

    /** GB/s of every thread summing its slice of {@code data}, twice. */
    private static double readRate(ExecutorService pool, int threads, float[] data) {
        int slice = data.length / threads / F.length() * F.length();
        long t0 = System.nanoTime();
        double sink = run(pool, threads, t -> sum(data, t * slice, slice) + sum(data, t * slice, slice));
        long elapsed = System.nanoTime() - t0;
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("sum is not a number");
        }
        return 2.0 * slice * threads * Float.BYTES / elapsed;
    }

    private static double sum(float[] data, int from, int length) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F);
        int step = F.length();
        int end = from + length - 4 * step + 1;
        int i = from;
        for (; i < end; i += 4 * step) {
            s0 = s0.add(FloatVector.fromArray(F, data, i));
            s1 = s1.add(FloatVector.fromArray(F, data, i + step));
            s2 = s2.add(FloatVector.fromArray(F, data, i + 2 * step));
            s3 = s3.add(FloatVector.fromArray(F, data, i + 3 * step));
        }
        double s = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
        for (; i < from + length; i++) {
            s += data[i];
        }
        return s;
    }

    private interface Work {
        double run(int thread);
    }

    private static double run(ExecutorService pool, int threads, Work work) {
        List<Future<Double>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit((Callable<Double>) () -> work.run(thread)));
        }
        double sink = 0;
        try {
            for (Future<Double> f : futures) {
                sink += f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the machine's peak", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("measuring the machine's peak failed", e.getCause());
        }
        return sink;
    }
}
