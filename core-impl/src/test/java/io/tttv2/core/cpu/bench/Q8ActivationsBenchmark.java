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
 * Which dot product a Q8_0 decode kernel should use here, on one thread, for a Llama-3.2-1B MLP matrix
 * [8192, 2048]:
 * <ul>
 *   <li>{@code widenedFloat}: the shipped kernel — int8 weights widened to float lanes ({@code B2F}), FMA with
 *       F32 activations, each block's sum scaled by its d.</li>
 *   <li>{@code int8Activations}: llama.cpp's scheme — x quantised once per call to int8 per 32-block (with a
 *       scale), then per block 32 int8 × int8 products in short lanes ({@code B2S}, {@code MUL}), widened to
 *       int and added ({@code S2I} × 2), converted to float and scaled by d_w · d_x. The Vector API has no
 *       {@code vpdpbusd}/{@code vpmaddwd} (VNNI), so the integer path spends more vector operations per block
 *       than the float one.</li>
 * </ul>
 * Caution: {@code int8Activations} adds its pair sums in {@link #sum}, a method taking a vector, so it also
 * measures boxing; {@code QuantizedDecodeVariantsBenchmark.int8Activations} writes the same route without a call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Q8ActivationsBenchmark {

    private static final int N = 8192;
    private static final int K = 2048;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Short> S512 = ShortVector.SPECIES_512;
    private static final VectorSpecies<Integer> I512 = IntVector.SPECIES_512;
    private static final VectorSpecies<Float> F512 = FloatVector.SPECIES_512;

    private CpuDevice device;
    private Ops ops;
    private final Arena arena = Arena.ofShared();
    private Tensor w;           // [N, K] Q8_0
    private Tensor x;           // [1, K] F32
    private Tensor out;         // [1, N] F32
    private final byte[] xq = new byte[K];            // x quantised: int8 per element
    private final float[] xd = new float[K / 32];     // and a scale per block
    private final float[] result = new float[N];

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
        float[] xv = new float[K];
        for (int i = 0; i < K; i++) {
            xv[i] = (float) r.nextGaussian();
        }
        x = Tensor.allocate(arena, DType.F32, 1, K);
        x.copyFrom(xv);
        out = Tensor.allocate(arena, DType.F32, 1, N);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
        arena.close();
    }

    @Benchmark
    public Tensor widenedFloat() {
        ops.matmul(x, w, null, out);
        return out;
    }

    @Benchmark
    public float[] int8Activations() {
        MemorySegment xs = x.segment();
        for (int b = 0; b < K / 32; b++) {              // quantise x as quantize_row_q8_0 does
            float amax = 0;
            for (int i = 0; i < 32; i++) {
                amax = Math.max(amax, Math.abs(xs.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, b * 32 + i)));
            }
            float d = amax / 127;
            float id = d != 0 ? 1 / d : 0;
            xd[b] = d;
            for (int i = 0; i < 32; i++) {
                xq[b * 32 + i] = (byte) Math.round(xs.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, b * 32 + i) * id);
            }
        }
        MemorySegment ws = w.segment();
        long rowBytes = DType.Q8_0.bytesFor(K);
        for (int n = 0; n < N; n += 4) {
            long w0 = n * rowBytes, w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
            FloatVector a0 = FloatVector.zero(F512), a1 = a0, a2 = a0, a3 = a0;
            for (int b = 0; b < K / 32; b++) {
                long o = b * 34L;
                ShortVector u = (ShortVector) ByteVector.fromArray(B256, xq, b * 32).convertShape(VectorOperators.B2S, S512, 0);
                ShortVector p0 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w0 + o + 2, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.B2S, S512, 0)).mul(u);
                ShortVector p1 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w1 + o + 2, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.B2S, S512, 0)).mul(u);
                ShortVector p2 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w2 + o + 2, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.B2S, S512, 0)).mul(u);
                ShortVector p3 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w3 + o + 2, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.B2S, S512, 0)).mul(u);
                float dx = xd[b];
                a0 = sum(p0).fma(FloatVector.broadcast(F512, dx * Float.float16ToFloat(ws.get(I16, w0 + o))), a0);
                a1 = sum(p1).fma(FloatVector.broadcast(F512, dx * Float.float16ToFloat(ws.get(I16, w1 + o))), a1);
                a2 = sum(p2).fma(FloatVector.broadcast(F512, dx * Float.float16ToFloat(ws.get(I16, w2 + o))), a2);
                a3 = sum(p3).fma(FloatVector.broadcast(F512, dx * Float.float16ToFloat(ws.get(I16, w3 + o))), a3);
            }
            result[n] = a0.reduceLanes(VectorOperators.ADD);
            result[n + 1] = a1.reduceLanes(VectorOperators.ADD);
            result[n + 2] = a2.reduceLanes(VectorOperators.ADD);
            result[n + 3] = a3.reduceLanes(VectorOperators.ADD);
        }
        return result;
    }

    /** 32 short products → 16 int lanes (pairs added) → float. */
    private static FloatVector sum(ShortVector p) {
        IntVector lo = (IntVector) p.convertShape(VectorOperators.S2I, I512, 0);
        IntVector hi = (IntVector) p.convertShape(VectorOperators.S2I, I512, 1);
        return (FloatVector) lo.add(hi).convertShape(VectorOperators.I2F, F512, 0);
    }
}
