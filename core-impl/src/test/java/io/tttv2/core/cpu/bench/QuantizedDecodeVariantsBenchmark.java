package io.tttv2.core.cpu.bench;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.BlockCodec;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.CpuDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ways to write the Q8_0 decode product (M = 1) on one thread, for a Llama-3.2-1B MLP matrix [8192, 2048], to
 * find what the compiled loop pays for besides the weight bytes (14 GB/s of a machine that reads ≈ 28):
 * <ul>
 *   <li>{@code shipped}: the kernel through the ops.</li>
 *   <li>{@code staged}: the same loop after copying the 4 weight rows into a byte[] (one bulk copy per row),
 *       so the inner loads are array loads, not segment loads with their bounds and liveness checks.</li>
 *   <li>{@code int8Activations}: x quantised to int8 per block (as llama.cpp does), int8 × int8 products in
 *       short lanes, pairs added in int lanes by shifts (no call, so nothing is boxed), one I2F and one FMA
 *       per block and row.</li>
 * </ul>
 * Each loop is one method (a vector crossing a call is boxed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class QuantizedDecodeVariantsBenchmark {

    private static final int N = 8192;
    private static final int K = 2048;
    private static final int BLOCKS = K / 32;
    private static final long ROW_BYTES = BLOCKS * 34L;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    private static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256;

    private CpuDevice device;
    private Ops ops;
    private final Arena arena = Arena.ofShared();
    private Tensor w;
    private Tensor x;
    private Tensor out;
    private final float[] xf = new float[K];
    private final byte[] stage = new byte[(int) (4 * ROW_BYTES)];
    private final byte[] xq = new byte[K];
    private final float[] xd = new float[BLOCKS];
    private final float[] result = new float[N];
    private final float[] dScales = new float[4 * BLOCKS];

    @Setup(Level.Trial)
    public void setUp() {
        device = new CpuDevice(1);
        ops = device.ops();
        Random r = new Random(3);
        float[] v = new float[N * K];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian() * 0.02f;
        }
        w = Tensor.allocate(arena, DType.Q8_0, N, K);
        BlockCodec.of(DType.Q8_0).encode(v, 0, v.length, w.segment(), 0);
        for (int i = 0; i < K; i++) {
            xf[i] = (float) r.nextGaussian();
        }
        x = Tensor.allocate(arena, DType.F32, 1, K);
        x.copyFrom(xf);
        out = Tensor.allocate(arena, DType.F32, 1, N);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
        arena.close();
    }

    @Benchmark
    public Tensor shipped() {
        ops.matmul(x, w, null, out);
        return out;
    }

    @Benchmark
    public float[] staged() {
        MemorySegment ws = w.segment();
        byte[] st = stage;
        int rb = (int) ROW_BYTES;
        for (int n = 0; n < N; n += 4) {
            MemorySegment.copy(ws, ValueLayout.JAVA_BYTE, n * ROW_BYTES, st, 0, 4 * rb);
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int b = 0; b < BLOCKS; b++) {
                int o = b * 34 + 2;
                FloatVector u = FloatVector.fromArray(F, xf, b * 32);
                FloatVector v = FloatVector.fromArray(F, xf, b * 32 + 16);
                FloatVector s0 = ((FloatVector) ByteVector.fromArray(B128, st, o).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                FloatVector s1 = ((FloatVector) ByteVector.fromArray(B128, st, rb + o).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                FloatVector s2 = ((FloatVector) ByteVector.fromArray(B128, st, 2 * rb + o).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                FloatVector s3 = ((FloatVector) ByteVector.fromArray(B128, st, 3 * rb + o).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                s0 = ((FloatVector) ByteVector.fromArray(B128, st, o + 16).convertShape(VectorOperators.B2F, F, 0)).fma(v, s0);
                s1 = ((FloatVector) ByteVector.fromArray(B128, st, rb + o + 16).convertShape(VectorOperators.B2F, F, 0)).fma(v, s1);
                s2 = ((FloatVector) ByteVector.fromArray(B128, st, 2 * rb + o + 16).convertShape(VectorOperators.B2F, F, 0)).fma(v, s2);
                s3 = ((FloatVector) ByteVector.fromArray(B128, st, 3 * rb + o + 16).convertShape(VectorOperators.B2F, F, 0)).fma(v, s3);
                a0 = s0.fma(FloatVector.broadcast(F, Float.float16ToFloat(f16(st, o - 2))), a0);
                a1 = s1.fma(FloatVector.broadcast(F, Float.float16ToFloat(f16(st, rb + o - 2))), a1);
                a2 = s2.fma(FloatVector.broadcast(F, Float.float16ToFloat(f16(st, 2 * rb + o - 2))), a2);
                a3 = s3.fma(FloatVector.broadcast(F, Float.float16ToFloat(f16(st, 3 * rb + o - 2))), a3);
            }
            result[n] = a0.reduceLanes(VectorOperators.ADD);
            result[n + 1] = a1.reduceLanes(VectorOperators.ADD);
            result[n + 2] = a2.reduceLanes(VectorOperators.ADD);
            result[n + 3] = a3.reduceLanes(VectorOperators.ADD);
        }
        return result;
    }

    @Benchmark
    public float[] segmentUnrolled() {
        MemorySegment ws = w.segment();
        for (int n = 0; n < N; n += 4) {
            long w0 = n * ROW_BYTES, w1 = w0 + ROW_BYTES, w2 = w1 + ROW_BYTES, w3 = w2 + ROW_BYTES;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int b = 0; b < BLOCKS; b++) {
                long o = b * 34L + 2;
                FloatVector u = FloatVector.fromArray(F, xf, b * 32);
                FloatVector v = FloatVector.fromArray(F, xf, b * 32 + 16);
                FloatVector s0 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w0 + o, LE).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                FloatVector s1 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w1 + o, LE).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                FloatVector s2 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w2 + o, LE).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                FloatVector s3 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w3 + o, LE).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                s0 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w0 + o + 16, LE).convertShape(VectorOperators.B2F, F, 0)).fma(v, s0);
                s1 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w1 + o + 16, LE).convertShape(VectorOperators.B2F, F, 0)).fma(v, s1);
                s2 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w2 + o + 16, LE).convertShape(VectorOperators.B2F, F, 0)).fma(v, s2);
                s3 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w3 + o + 16, LE).convertShape(VectorOperators.B2F, F, 0)).fma(v, s3);
                a0 = s0.fma(FloatVector.broadcast(F, Float.float16ToFloat(ws.get(I16, w0 + o - 2))), a0);
                a1 = s1.fma(FloatVector.broadcast(F, Float.float16ToFloat(ws.get(I16, w1 + o - 2))), a1);
                a2 = s2.fma(FloatVector.broadcast(F, Float.float16ToFloat(ws.get(I16, w2 + o - 2))), a2);
                a3 = s3.fma(FloatVector.broadcast(F, Float.float16ToFloat(ws.get(I16, w3 + o - 2))), a3);
            }
            result[n] = a0.reduceLanes(VectorOperators.ADD);
            result[n + 1] = a1.reduceLanes(VectorOperators.ADD);
            result[n + 2] = a2.reduceLanes(VectorOperators.ADD);
            result[n + 3] = a3.reduceLanes(VectorOperators.ADD);
        }
        return result;
    }

    @Benchmark
    public float[] int8Activations() {
        for (int b = 0; b < BLOCKS; b++) {              // quantise x as quantize_row_q8_0 does
            float amax = 0;
            for (int i = 0; i < 32; i++) {
                amax = Math.max(amax, Math.abs(xf[b * 32 + i]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1 / d : 0;
            xd[b] = d;
            for (int i = 0; i < 32; i++) {
                xq[b * 32 + i] = (byte) Math.round(xf[b * 32 + i] * id);
            }
        }
        MemorySegment ws = w.segment();
        for (int n = 0; n < N; n += 4) {
            long w0 = n * ROW_BYTES, w1 = w0 + ROW_BYTES, w2 = w1 + ROW_BYTES, w3 = w2 + ROW_BYTES;
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int b = 0; b < BLOCKS; b++) {
                long o = b * 34L;
                ShortVector u = (ShortVector) ByteVector.fromArray(B256, xq, b * 32).convertShape(VectorOperators.B2S, S, 0);
                // products in short lanes; a pair read as one int lane is lo + hi·2^16: the two halves,
                // sign-extended by shifts, added give the pair's sum (|q·q'| ≤ 127², so a pair fits 16 bits)
                IntVector p0 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w0 + o + 2, LE)
                        .convertShape(VectorOperators.B2S, S, 0)).mul(u).reinterpretAsInts();
                IntVector p1 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w1 + o + 2, LE)
                        .convertShape(VectorOperators.B2S, S, 0)).mul(u).reinterpretAsInts();
                IntVector p2 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w2 + o + 2, LE)
                        .convertShape(VectorOperators.B2S, S, 0)).mul(u).reinterpretAsInts();
                IntVector p3 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w3 + o + 2, LE)
                        .convertShape(VectorOperators.B2S, S, 0)).mul(u).reinterpretAsInts();
                p0 = p0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p0.lanewise(VectorOperators.ASHR, 16));
                p1 = p1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p1.lanewise(VectorOperators.ASHR, 16));
                p2 = p2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p2.lanewise(VectorOperators.ASHR, 16));
                p3 = p3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p3.lanewise(VectorOperators.ASHR, 16));
                float dx = xd[b];
                a0 = ((FloatVector) p0.convertShape(VectorOperators.I2F, F, 0))
                        .fma(FloatVector.broadcast(F, dx * Float.float16ToFloat(ws.get(I16, w0 + o))), a0);
                a1 = ((FloatVector) p1.convertShape(VectorOperators.I2F, F, 0))
                        .fma(FloatVector.broadcast(F, dx * Float.float16ToFloat(ws.get(I16, w1 + o))), a1);
                a2 = ((FloatVector) p2.convertShape(VectorOperators.I2F, F, 0))
                        .fma(FloatVector.broadcast(F, dx * Float.float16ToFloat(ws.get(I16, w2 + o))), a2);
                a3 = ((FloatVector) p3.convertShape(VectorOperators.I2F, F, 0))
                        .fma(FloatVector.broadcast(F, dx * Float.float16ToFloat(ws.get(I16, w3 + o))), a3);
            }
            result[n] = a0.reduceLanes(VectorOperators.ADD);
            result[n + 1] = a1.reduceLanes(VectorOperators.ADD);
            result[n + 2] = a2.reduceLanes(VectorOperators.ADD);
            result[n + 3] = a3.reduceLanes(VectorOperators.ADD);
        }
        return result;
    }

    /** {@code segmentUnrolled} with each 4-row group's block scales decoded first into an array (no f16 load in the loop). */
    @Benchmark
    public float[] hoistedScales() {
        MemorySegment ws = w.segment();
        float[] ds = dScales;
        for (int n = 0; n < N; n += 4) {
            long w0 = n * ROW_BYTES, w1 = w0 + ROW_BYTES, w2 = w1 + ROW_BYTES, w3 = w2 + ROW_BYTES;
            for (int b = 0; b < BLOCKS; b++) {
                ds[4 * b] = Float.float16ToFloat(ws.get(I16, w0 + b * 34L));
                ds[4 * b + 1] = Float.float16ToFloat(ws.get(I16, w1 + b * 34L));
                ds[4 * b + 2] = Float.float16ToFloat(ws.get(I16, w2 + b * 34L));
                ds[4 * b + 3] = Float.float16ToFloat(ws.get(I16, w3 + b * 34L));
            }
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int b = 0; b < BLOCKS; b++) {
                long o = b * 34L + 2;
                FloatVector u = FloatVector.fromArray(F, xf, b * 32);
                FloatVector v = FloatVector.fromArray(F, xf, b * 32 + 16);
                FloatVector s0 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w0 + o, LE).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                FloatVector s1 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w1 + o, LE).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                FloatVector s2 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w2 + o, LE).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                FloatVector s3 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w3 + o, LE).convertShape(VectorOperators.B2F, F, 0)).mul(u);
                s0 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w0 + o + 16, LE).convertShape(VectorOperators.B2F, F, 0)).fma(v, s0);
                s1 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w1 + o + 16, LE).convertShape(VectorOperators.B2F, F, 0)).fma(v, s1);
                s2 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w2 + o + 16, LE).convertShape(VectorOperators.B2F, F, 0)).fma(v, s2);
                s3 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, w3 + o + 16, LE).convertShape(VectorOperators.B2F, F, 0)).fma(v, s3);
                a0 = s0.fma(FloatVector.broadcast(F, ds[4 * b]), a0);
                a1 = s1.fma(FloatVector.broadcast(F, ds[4 * b + 1]), a1);
                a2 = s2.fma(FloatVector.broadcast(F, ds[4 * b + 2]), a2);
                a3 = s3.fma(FloatVector.broadcast(F, ds[4 * b + 3]), a3);
            }
            result[n] = a0.reduceLanes(VectorOperators.ADD);
            result[n + 1] = a1.reduceLanes(VectorOperators.ADD);
            result[n + 2] = a2.reduceLanes(VectorOperators.ADD);
            result[n + 3] = a3.reduceLanes(VectorOperators.ADD);
        }
        return result;
    }

    /**
     * The variants round-robin in one JVM (JMH runs them one after another, which a shared machine's changing
     * load makes hard to compare): {@code main [rounds]} prints each one's median and minimum ms per product.
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        QuantizedDecodeVariantsBenchmark bench = new QuantizedDecodeVariantsBenchmark();
        bench.setUp();
        String[] names = {"shipped", "segmentUnrolled", "hoistedScales", "staged", "int8Activations"};
        Runnable[] runs = {bench::shipped, bench::segmentUnrolled, bench::hoistedScales, bench::staged,
            bench::int8Activations};
        for (Runnable run : runs) {
            long until = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < until) {
                run.run();
            }
        }
        double[][] t = new double[runs.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < runs.length; v++) {
                long t0 = System.nanoTime();
                for (int c = 0; c < 5; c++) {
                    runs[v].run();
                }
                t[v][r] = (System.nanoTime() - t0) / 5e6;
            }
        }
        System.out.printf("Q8_0 [%d, %d] decode on one thread, %d rounds (ms per product: median, min)%n", N, K, rounds);
        for (int v = 0; v < runs.length; v++) {
            java.util.Arrays.sort(t[v]);
            System.out.printf("  %-16s %8.3f %8.3f%n", names[v], t[v][rounds / 2], t[v][0]);
        }
        bench.tearDown();
    }

    private static short f16(byte[] a, int at) {
        return (short) ((a[at] & 0xFF) | a[at + 1] << 8);
    }
}
