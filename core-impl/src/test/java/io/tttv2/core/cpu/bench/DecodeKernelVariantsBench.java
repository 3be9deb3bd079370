package io.tttv2.core.cpu.bench;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.WorkerPool;
import io.tttv2.core.cpu.kernel.QuantizedMatmulKernel;
import io.tttv2.core.cpu.kernel.QuantizedMatmuls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Ways to write the Q8_0 and Q4_0 decode product (M = 1), timed round-robin in one JVM on the 1B model's MLP
 * shapes ([8192, 2048] and [2048, 8192], several layers' worth so the weights come from DRAM, not L3; 0 layers
 * is an L2-resident set, for the compute alone), on a pool of 1 or 2 threads. Prints ns per weight: wall time
 * (median, minimum over rounds) and the CPU time of the pool's threads (median, minimum; steadier than wall
 * time on a shared machine), and each variant's largest difference from the shipped kernel relative to the
 * largest output, so a wrong variant shows. AVX-512 shapes only (16 float lanes).
 *
 * <p>The variants: the shipped kernel (through its RangeBody), the same loop written here (so structure and
 * arithmetic are told apart), the exponent trick (nibble or byte shifted into the mantissa of 1.0f instead of
 * I2F), x quantised to int8 per block with products in short lanes, one row at a time, and Q4_0 repacked
 * (4-row groups of 128-value chunks read as 16 int lanes, scales F32 apart; what llama.cpp's CPU backend does).
 * docs/quantization.md quotes the results.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp core-impl/target/test-classes:core-impl/target/classes:core-api/target/classes
 * io.tttv2.core.cpu.bench.DecodeKernelVariantsBench [threads] [rounds] [Q8_0|Q4_0] [layers]}.
 */
public final class DecodeKernelVariantsBench {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    static final VectorSpecies<Float> F128 = FloatVector.SPECIES_128;
    static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
    static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;
    static final int BYTE = 0xFF << 15;
    /** 1.0f with bit 22 set: xor after the mask flips the byte's sign bit (q + 128) and sets the exponent. */
    static final int BIAS = 0x3F800000 | 0x80 << 15;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static final int NIBBLE = 0xF << 19;
    static final int ONE = 0x3F800000;
    static final VectorShuffle<Float> SPREAD4 = VectorShuffle.fromValues(F, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);

    /** One weight matrix: in place, and (Q4_0) repacked: 4-row groups of 128-value chunks, F32 scales apart. */
    static final class W {
        final Tensor tensor;
        final int n;
        final int k;
        final long rowBytes;
        MemorySegment r4;
        float[] r4Scales;

        W(Tensor tensor) {
            this.tensor = tensor;
            n = tensor.dim(0);
            k = tensor.dim(1);
            rowBytes = tensor.dtype().bytesFor(k);
        }

        MemorySegment seg() {
            return tensor.segment();
        }
    }

    abstract static class Variant implements WorkerPool.RangeBody {
        final String name;
        W w;
        MemorySegment ws;
        float[] x;
        Tensor xt;
        Tensor outT;
        float[] out;
        int k;
        int blocks;

        Variant(String name) {
            this.name = name;
        }

        void bind(W w, float[] x, Tensor xt, float[] out, Tensor outT) {
            this.w = w;
            this.ws = w.seg();
            this.x = x;
            this.xt = xt;
            this.out = out;
            this.outT = outT;
            this.k = w.k;
            this.blocks = w.k / 32;
            prepare();
        }

        void prepare() {
        }

        void finish() {
        }
    }

    /** The kernel as shipped, through its RangeBody. */
    static final class Shipped extends Variant {
        QuantizedMatmulKernel kernel;

        Shipped() {
            super("shipped");
        }

        @Override
        void prepare() {
            kernel = QuantizedMatmuls.forThisThread(w.tensor.dtype());
            kernel.bind(xt, w.tensor, null, outT);
        }

        @Override
        public void run(int from, int to) {
            kernel.run(from, to);
        }

        @Override
        void finish() {
            outT.segment().asByteBuffer().order(LE).asFloatBuffer().get(out, 0, w.n);
        }
    }

    /** The shipped Q4_0 loop written as a variant: nibbles cut out of int lanes, I2F, FMA; offset off per block. */
    static final class Q4I2F extends Variant {
        float[] xsum = new float[0];

        Q4I2F() {
            super("q4I2F");
        }

        @Override
        void prepare() {
            if (xsum.length < blocks) {
                xsum = new float[blocks];
            }
            for (int b = 0; b < blocks; b++) {
                float t = 0;
                for (int j = 0; j < 32; j++) {
                    t += x[b * 32 + j];
                }
                xsum[b] = t;
            }
        }

        @Override
        public void run(int from, int to) {
            long rb = w.rowBytes;
            for (int c = from; c < to; c += 4) {
                long w0 = c * rb, w1 = w0 + rb, w2 = w1 + rb, w3 = w2 + rb;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
                for (int b = 0; b < blocks; b++) {
                    long o = b * 18L + 2;
                    FloatVector lo = FloatVector.fromArray(F, x, b * 32);
                    FloatVector hi = FloatVector.fromArray(F, x, b * 32 + 16);
                    IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B128, ws, w0 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B128, ws, w1 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector p2 = (IntVector) ByteVector.fromMemorySegment(B128, ws, w2 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector p3 = (IntVector) ByteVector.fromMemorySegment(B128, ws, w3 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    FloatVector s0 = ((FloatVector) p0.and(0x0F).convertShape(VectorOperators.I2F, F, 0)).mul(lo);
                    FloatVector s1 = ((FloatVector) p1.and(0x0F).convertShape(VectorOperators.I2F, F, 0)).mul(lo);
                    FloatVector s2 = ((FloatVector) p2.and(0x0F).convertShape(VectorOperators.I2F, F, 0)).mul(lo);
                    FloatVector s3 = ((FloatVector) p3.and(0x0F).convertShape(VectorOperators.I2F, F, 0)).mul(lo);
                    s0 = ((FloatVector) p0.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0)).fma(hi, s0);
                    s1 = ((FloatVector) p1.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0)).fma(hi, s1);
                    s2 = ((FloatVector) p2.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0)).fma(hi, s2);
                    s3 = ((FloatVector) p3.lanewise(VectorOperators.LSHR, 4).convertShape(VectorOperators.I2F, F, 0)).fma(hi, s3);
                    float xs = xsum[b];
                    float d0 = Float.float16ToFloat(ws.get(I16, w0 + o - 2));
                    a0 = s0.fma(FloatVector.broadcast(F, d0), a0);
                    c0 += d0 * xs;
                    float d1 = Float.float16ToFloat(ws.get(I16, w1 + o - 2));
                    a1 = s1.fma(FloatVector.broadcast(F, d1), a1);
                    c1 += d1 * xs;
                    float d2 = Float.float16ToFloat(ws.get(I16, w2 + o - 2));
                    a2 = s2.fma(FloatVector.broadcast(F, d2), a2);
                    c2 += d2 * xs;
                    float d3 = Float.float16ToFloat(ws.get(I16, w3 + o - 2));
                    a3 = s3.fma(FloatVector.broadcast(F, d3), a3);
                    c3 += d3 * xs;
                }
                out[c] = a0.reduceLanes(VectorOperators.ADD) - 8 * c0;
                out[c + 1] = a1.reduceLanes(VectorOperators.ADD) - 8 * c1;
                out[c + 2] = a2.reduceLanes(VectorOperators.ADD) - 8 * c2;
                out[c + 3] = a3.reduceLanes(VectorOperators.ADD) - 8 * c3;
            }
        }
    }

    /** Q4_0 in place, nibbles made floats 1 + q/16 by the exponent trick (no I2F); offset off per block. */
    static final class Q4Exp extends Variant {
        float[] xsum = new float[0];

        Q4Exp() {
            super("q4Exp");
        }

        @Override
        void prepare() {
            if (xsum.length < blocks) {
                xsum = new float[blocks];
            }
            for (int b = 0; b < blocks; b++) {
                float t = 0;
                for (int j = 0; j < 32; j++) {
                    t += x[b * 32 + j];
                }
                xsum[b] = t;
            }
        }

        @Override
        public void run(int from, int to) {
            long rb = w.rowBytes;
            for (int c = from; c < to; c += 4) {
                long w0 = c * rb, w1 = w0 + rb, w2 = w1 + rb, w3 = w2 + rb;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
                for (int b = 0; b < blocks; b++) {
                    long o = b * 18L + 2;
                    FloatVector lo = FloatVector.fromArray(F, x, b * 32);
                    FloatVector hi = FloatVector.fromArray(F, x, b * 32 + 16);
                    IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B128, ws, w0 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B128, ws, w1 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector p2 = (IntVector) ByteVector.fromMemorySegment(B128, ws, w2 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    IntVector p3 = (IntVector) ByteVector.fromMemorySegment(B128, ws, w3 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
                    FloatVector s0 = p0.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().mul(lo);
                    FloatVector s1 = p1.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().mul(lo);
                    FloatVector s2 = p2.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().mul(lo);
                    FloatVector s3 = p3.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().mul(lo);
                    s0 = p0.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(hi, s0);
                    s1 = p1.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(hi, s1);
                    s2 = p2.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(hi, s2);
                    s3 = p3.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(hi, s3);
                    float xs = xsum[b];
                    float d0 = Float.float16ToFloat(ws.get(I16, w0 + o - 2));
                    a0 = s0.fma(FloatVector.broadcast(F, d0), a0);
                    c0 += d0 * xs;
                    float d1 = Float.float16ToFloat(ws.get(I16, w1 + o - 2));
                    a1 = s1.fma(FloatVector.broadcast(F, d1), a1);
                    c1 += d1 * xs;
                    float d2 = Float.float16ToFloat(ws.get(I16, w2 + o - 2));
                    a2 = s2.fma(FloatVector.broadcast(F, d2), a2);
                    c2 += d2 * xs;
                    float d3 = Float.float16ToFloat(ws.get(I16, w3 + o - 2));
                    a3 = s3.fma(FloatVector.broadcast(F, d3), a3);
                    c3 += d3 * xs;
                }
                // Σ (q − 8)·x·d = d·(16·Σ(1 + q/16)·x − 24·Σx)
                out[c] = 16 * a0.reduceLanes(VectorOperators.ADD) - 24 * c0;
                out[c + 1] = 16 * a1.reduceLanes(VectorOperators.ADD) - 24 * c1;
                out[c + 2] = 16 * a2.reduceLanes(VectorOperators.ADD) - 24 * c2;
                out[c + 3] = 16 * a3.reduceLanes(VectorOperators.ADD) - 24 * c3;
            }
        }
    }

    /**
     * Q4_0 repacked: per 4-row group and 128-value chunk, each row's 4 blocks of qs (64 bytes) lie together, read
     * as 16 int lanes; nibble s of lane i is value 32·(i/4) + 4·(i%4) + s/2 + 16·(s%2) of the chunk, so x is
     * permuted once per call to match. Exponent trick, a per-lane scale vector per chunk and row.
     */
    static final class Q4R4 extends Variant {
        float[] xp = new float[0];
        float[] xm = new float[0];

        Q4R4() {
            super("q4R4exp");
        }

        @Override
        void prepare() {
            if (xp.length < k) {
                xp = new float[k];
                xm = new float[k / 8];
            }
            for (int t = 0; t < k / 128; t++) {
                for (int s = 0; s < 8; s++) {
                    for (int i = 0; i < 16; i++) {
                        xp[128 * t + 16 * s + i] = x[128 * t + 32 * (i / 4) + 4 * (i % 4) + s / 2 + 16 * (s % 2)];
                    }
                }
                for (int i = 0; i < 16; i++) {
                    float sum = 0;
                    for (int s = 0; s < 8; s++) {
                        sum += xp[128 * t + 16 * s + i];
                    }
                    xm[16 * t + i] = -1.5f * sum;
                }
            }
        }

        @Override
        public void run(int from, int to) {
            MemorySegment qs = w.r4;
            float[] ds = w.r4Scales;
            int chunks = k / 128;
            for (int c = from; c < to; c += 4) {
                int g = c / 4;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                int dBase = g * 4 * blocks;
                for (int t = 0; t < chunks; t++) {
                    long base = ((long) g * chunks + t) * 256;
                    int xt = 128 * t;
                    IntVector q0 = IntVector.fromMemorySegment(I, qs, base, LE);
                    IntVector q1 = IntVector.fromMemorySegment(I, qs, base + 64, LE);
                    IntVector q2 = IntVector.fromMemorySegment(I, qs, base + 128, LE);
                    IntVector q3 = IntVector.fromMemorySegment(I, qs, base + 192, LE);
                    FloatVector u;
                    u = FloatVector.fromArray(F, xp, xt + 0);
                    FloatVector s0 = q0.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().mul(u);
                    FloatVector s1 = q1.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().mul(u);
                    FloatVector s2 = q2.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().mul(u);
                    FloatVector s3 = q3.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().mul(u);
                    u = FloatVector.fromArray(F, xp, xt + 16);
                    s0 = q0.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s0);
                    s1 = q1.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s1);
                    s2 = q2.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s2);
                    s3 = q3.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s3);
                    u = FloatVector.fromArray(F, xp, xt + 32);
                    s0 = q0.lanewise(VectorOperators.LSHL, 11).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s0);
                    s1 = q1.lanewise(VectorOperators.LSHL, 11).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s1);
                    s2 = q2.lanewise(VectorOperators.LSHL, 11).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s2);
                    s3 = q3.lanewise(VectorOperators.LSHL, 11).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s3);
                    u = FloatVector.fromArray(F, xp, xt + 48);
                    s0 = q0.lanewise(VectorOperators.LSHL, 7).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s0);
                    s1 = q1.lanewise(VectorOperators.LSHL, 7).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s1);
                    s2 = q2.lanewise(VectorOperators.LSHL, 7).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s2);
                    s3 = q3.lanewise(VectorOperators.LSHL, 7).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s3);
                    u = FloatVector.fromArray(F, xp, xt + 64);
                    s0 = q0.lanewise(VectorOperators.LSHL, 3).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s0);
                    s1 = q1.lanewise(VectorOperators.LSHL, 3).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s1);
                    s2 = q2.lanewise(VectorOperators.LSHL, 3).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s2);
                    s3 = q3.lanewise(VectorOperators.LSHL, 3).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s3);
                    u = FloatVector.fromArray(F, xp, xt + 80);
                    s0 = q0.lanewise(VectorOperators.LSHR, 1).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s0);
                    s1 = q1.lanewise(VectorOperators.LSHR, 1).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s1);
                    s2 = q2.lanewise(VectorOperators.LSHR, 1).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s2);
                    s3 = q3.lanewise(VectorOperators.LSHR, 1).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s3);
                    u = FloatVector.fromArray(F, xp, xt + 96);
                    s0 = q0.lanewise(VectorOperators.LSHR, 5).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s0);
                    s1 = q1.lanewise(VectorOperators.LSHR, 5).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s1);
                    s2 = q2.lanewise(VectorOperators.LSHR, 5).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s2);
                    s3 = q3.lanewise(VectorOperators.LSHR, 5).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s3);
                    u = FloatVector.fromArray(F, xp, xt + 112);
                    s0 = q0.lanewise(VectorOperators.LSHR, 9).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s0);
                    s1 = q1.lanewise(VectorOperators.LSHR, 9).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s1);
                    s2 = q2.lanewise(VectorOperators.LSHR, 9).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s2);
                    s3 = q3.lanewise(VectorOperators.LSHR, 9).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(u, s3);
                    FloatVector xmv = FloatVector.fromArray(F, xm, 16 * t);
                    a0 = s0.add(xmv).fma(FloatVector.fromArray(F128, ds, dBase + 4 * t).reinterpretShape(F, 0).rearrange(SPREAD4), a0);
                    a1 = s1.add(xmv).fma(FloatVector.fromArray(F128, ds, dBase + blocks + 4 * t).reinterpretShape(F, 0).rearrange(SPREAD4), a1);
                    a2 = s2.add(xmv).fma(FloatVector.fromArray(F128, ds, dBase + 2 * blocks + 4 * t).reinterpretShape(F, 0).rearrange(SPREAD4), a2);
                    a3 = s3.add(xmv).fma(FloatVector.fromArray(F128, ds, dBase + 3 * blocks + 4 * t).reinterpretShape(F, 0).rearrange(SPREAD4), a3);
                }
                out[c] = 16 * a0.reduceLanes(VectorOperators.ADD);
                out[c + 1] = 16 * a1.reduceLanes(VectorOperators.ADD);
                out[c + 2] = 16 * a2.reduceLanes(VectorOperators.ADD);
                out[c + 3] = 16 * a3.reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /**
     * Q4_0 in place with x quantised to int8 per block: (q)·x8 in short lanes (|q·x8| ≤ 15·127, a low and a high
     * nibble's products added still fit), one widening, I2F and FMA per block and row; −8·Σx8 off per block.
     */
    static final class Q4Int8 extends Variant {
        short[] xq = new short[0];
        float[] xd = new float[0];
        float[] xs8 = new float[0];

        Q4Int8() {
            super("q4Int8");
        }

        @Override
        void prepare() {
            if (xq.length < k) {
                xq = new short[k];
                xd = new float[blocks];
                xs8 = new float[blocks];
            }
            quantize(x, k, xq, xd, xs8);
        }

        @Override
        public void run(int from, int to) {
            long rb = w.rowBytes;
            for (int c = from; c < to; c += 4) {
                long w0 = c * rb, w1 = w0 + rb, w2 = w1 + rb, w3 = w2 + rb;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
                for (int b = 0; b < blocks; b++) {
                    long o = b * 18L + 2;
                    ShortVector lo = ShortVector.fromArray(S256, xq, b * 32);
                    ShortVector hi = ShortVector.fromArray(S256, xq, b * 32 + 16);
                    ShortVector p0 = (ShortVector) ByteVector.fromMemorySegment(B128, ws, w0 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S256, 0);
                    ShortVector p1 = (ShortVector) ByteVector.fromMemorySegment(B128, ws, w1 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S256, 0);
                    ShortVector p2 = (ShortVector) ByteVector.fromMemorySegment(B128, ws, w2 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S256, 0);
                    ShortVector p3 = (ShortVector) ByteVector.fromMemorySegment(B128, ws, w3 + o, LE).convertShape(VectorOperators.ZERO_EXTEND_B2S, S256, 0);
                    p0 = p0.and((short) 0xF).mul(lo).add(p0.lanewise(VectorOperators.LSHR, 4).mul(hi));
                    p1 = p1.and((short) 0xF).mul(lo).add(p1.lanewise(VectorOperators.LSHR, 4).mul(hi));
                    p2 = p2.and((short) 0xF).mul(lo).add(p2.lanewise(VectorOperators.LSHR, 4).mul(hi));
                    p3 = p3.and((short) 0xF).mul(lo).add(p3.lanewise(VectorOperators.LSHR, 4).mul(hi));
                    float dx = xd[b];
                    float xs = xs8[b];
                    float d0 = dx * Float.float16ToFloat(ws.get(I16, w0 + o - 2));
                    a0 = ((FloatVector) p0.convertShape(VectorOperators.S2F, F, 0)).fma(FloatVector.broadcast(F, d0), a0);
                    c0 += d0 * xs;
                    float d1 = dx * Float.float16ToFloat(ws.get(I16, w1 + o - 2));
                    a1 = ((FloatVector) p1.convertShape(VectorOperators.S2F, F, 0)).fma(FloatVector.broadcast(F, d1), a1);
                    c1 += d1 * xs;
                    float d2 = dx * Float.float16ToFloat(ws.get(I16, w2 + o - 2));
                    a2 = ((FloatVector) p2.convertShape(VectorOperators.S2F, F, 0)).fma(FloatVector.broadcast(F, d2), a2);
                    c2 += d2 * xs;
                    float d3 = dx * Float.float16ToFloat(ws.get(I16, w3 + o - 2));
                    a3 = ((FloatVector) p3.convertShape(VectorOperators.S2F, F, 0)).fma(FloatVector.broadcast(F, d3), a3);
                    c3 += d3 * xs;
                }
                out[c] = a0.reduceLanes(VectorOperators.ADD) - 8 * c0;
                out[c + 1] = a1.reduceLanes(VectorOperators.ADD) - 8 * c1;
                out[c + 2] = a2.reduceLanes(VectorOperators.ADD) - 8 * c2;
                out[c + 3] = a3.reduceLanes(VectorOperators.ADD) - 8 * c3;
            }
        }
    }

    /** Q8_0 with x quantised to int8 per block: products in short lanes, pairs summed in int lanes by 3 ops. */
    static final class Q8Int8 extends Variant {
        short[] xq = new short[0];
        float[] xd = new float[0];
        float[] xs8 = new float[0];

        Q8Int8() {
            super("q8Int8");
        }

        @Override
        void prepare() {
            if (xq.length < k) {
                xq = new short[k];
                xd = new float[blocks];
                xs8 = new float[blocks];
            }
            quantize(x, k, xq, xd, xs8);
        }

        @Override
        public void run(int from, int to) {
            long rb = w.rowBytes;
            for (int c = from; c < to; c += 4) {
                long w0 = c * rb, w1 = w0 + rb, w2 = w1 + rb, w3 = w2 + rb;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (int b = 0; b < blocks; b++) {
                    long o = b * 34L + 2;
                    ShortVector u = ShortVector.fromArray(S, xq, b * 32);
                    IntVector p0 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w0 + o, LE)
                            .convertShape(VectorOperators.B2S, S, 0)).mul(u).reinterpretAsInts();
                    IntVector p1 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w1 + o, LE)
                            .convertShape(VectorOperators.B2S, S, 0)).mul(u).reinterpretAsInts();
                    IntVector p2 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w2 + o, LE)
                            .convertShape(VectorOperators.B2S, S, 0)).mul(u).reinterpretAsInts();
                    IntVector p3 = ((ShortVector) ByteVector.fromMemorySegment(B256, ws, w3 + o, LE)
                            .convertShape(VectorOperators.B2S, S, 0)).mul(u).reinterpretAsInts();
                    // lane = lo + hi·2^16: (lane + (lane << 16)) >> 16 = hi + lo (|hi + lo| ≤ 2·127² fits 16 bits)
                    p0 = p0.add(p0.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16);
                    p1 = p1.add(p1.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16);
                    p2 = p2.add(p2.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16);
                    p3 = p3.add(p3.lanewise(VectorOperators.LSHL, 16)).lanewise(VectorOperators.ASHR, 16);
                    float dx = xd[b];
                    a0 = ((FloatVector) p0.convertShape(VectorOperators.I2F, F, 0))
                            .fma(FloatVector.broadcast(F, dx * Float.float16ToFloat(ws.get(I16, w0 + o - 2))), a0);
                    a1 = ((FloatVector) p1.convertShape(VectorOperators.I2F, F, 0))
                            .fma(FloatVector.broadcast(F, dx * Float.float16ToFloat(ws.get(I16, w1 + o - 2))), a1);
                    a2 = ((FloatVector) p2.convertShape(VectorOperators.I2F, F, 0))
                            .fma(FloatVector.broadcast(F, dx * Float.float16ToFloat(ws.get(I16, w2 + o - 2))), a2);
                    a3 = ((FloatVector) p3.convertShape(VectorOperators.I2F, F, 0))
                            .fma(FloatVector.broadcast(F, dx * Float.float16ToFloat(ws.get(I16, w3 + o - 2))), a3);
                }
                out[c] = a0.reduceLanes(VectorOperators.ADD);
                out[c + 1] = a1.reduceLanes(VectorOperators.ADD);
                out[c + 2] = a2.reduceLanes(VectorOperators.ADD);
                out[c + 3] = a3.reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /** The shipped Q8_0 loop written as a variant (B2F, MUL then FMA per half block, the scale FMA per block). */
    static final class Q8Float2 extends Variant {
        Q8Float2() {
            super("q8Float");
        }

        @Override
        public void run(int from, int to) {
            long rb = w.rowBytes;
            for (int c = from; c < to; c += 4) {
                long w0 = c * rb, w1 = w0 + rb, w2 = w1 + rb, w3 = w2 + rb;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (int b = 0; b < blocks; b++) {
                    long o = b * 34L + 2;
                    FloatVector u = FloatVector.fromArray(F, x, b * 32);
                    FloatVector v = FloatVector.fromArray(F, x, b * 32 + 16);
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
                out[c] = a0.reduceLanes(VectorOperators.ADD);
                out[c + 1] = a1.reduceLanes(VectorOperators.ADD);
                out[c + 2] = a2.reduceLanes(VectorOperators.ADD);
                out[c + 3] = a3.reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /**
     * Q8_0 in place without B2F: a block's 32 bytes read as 8 int lanes (256 bits), byte m of each cut out by a
     * shift and made the float 1 + (q + 128)/256 (mantissa bits, sign bit flipped); x permuted to match once per call.
     */
    static final class Q8Exp extends Variant {
        float[] xsum = new float[0];
        float[] xp = new float[0];

        Q8Exp() {
            super("q8Exp");
        }

        @Override
        void prepare() {
            if (xsum.length < blocks) {
                xsum = new float[blocks];
            }
            if (xp.length < k) {
                xp = new float[k];
            }
            for (int b = 0; b < blocks; b++) {
                float t = 0;
                for (int j = 0; j < 32; j++) {
                    t += x[b * 32 + j];
                    xp[b * 32 + 8 * (j % 4) + j / 4] = x[b * 32 + j];
                }
                xsum[b] = t;
            }
        }

        @Override
        public void run(int from, int to) {
            long rb = w.rowBytes;
            for (int c = from; c < to; c += 4) {
                long w0 = c * rb, w1 = w0 + rb, w2 = w1 + rb, w3 = w2 + rb;
                FloatVector a0 = FloatVector.zero(F256), a1 = a0, a2 = a0, a3 = a0;
                float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
                for (int b = 0; b < blocks; b++) {
                    long o = b * 34L + 2;
                    FloatVector u;
                    IntVector q0 = IntVector.fromMemorySegment(I256, ws, w0 + o, LE);
                    IntVector q1 = IntVector.fromMemorySegment(I256, ws, w1 + o, LE);
                    IntVector q2 = IntVector.fromMemorySegment(I256, ws, w2 + o, LE);
                    IntVector q3 = IntVector.fromMemorySegment(I256, ws, w3 + o, LE);
                    u = FloatVector.fromArray(F256, xp, b * 32 + 0);
                    FloatVector s0 = q0.lanewise(VectorOperators.LSHL, 15).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().mul(u);
                    FloatVector s1 = q1.lanewise(VectorOperators.LSHL, 15).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().mul(u);
                    FloatVector s2 = q2.lanewise(VectorOperators.LSHL, 15).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().mul(u);
                    FloatVector s3 = q3.lanewise(VectorOperators.LSHL, 15).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().mul(u);
                    u = FloatVector.fromArray(F256, xp, b * 32 + 8);
                    s0 = q0.lanewise(VectorOperators.LSHL, 7).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s0);
                    s1 = q1.lanewise(VectorOperators.LSHL, 7).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s1);
                    s2 = q2.lanewise(VectorOperators.LSHL, 7).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s2);
                    s3 = q3.lanewise(VectorOperators.LSHL, 7).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s3);
                    u = FloatVector.fromArray(F256, xp, b * 32 + 16);
                    s0 = q0.lanewise(VectorOperators.LSHR, 1).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s0);
                    s1 = q1.lanewise(VectorOperators.LSHR, 1).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s1);
                    s2 = q2.lanewise(VectorOperators.LSHR, 1).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s2);
                    s3 = q3.lanewise(VectorOperators.LSHR, 1).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s3);
                    u = FloatVector.fromArray(F256, xp, b * 32 + 24);
                    s0 = q0.lanewise(VectorOperators.LSHR, 9).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s0);
                    s1 = q1.lanewise(VectorOperators.LSHR, 9).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s1);
                    s2 = q2.lanewise(VectorOperators.LSHR, 9).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s2);
                    s3 = q3.lanewise(VectorOperators.LSHR, 9).and(BYTE).lanewise(VectorOperators.XOR, BIAS).reinterpretAsFloats().fma(u, s3);
                    float xs = xsum[b];
                    float d0 = Float.float16ToFloat(ws.get(I16, w0 + o - 2));
                    a0 = s0.fma(FloatVector.broadcast(F256, d0), a0);
                    c0 += d0 * xs;
                    float d1 = Float.float16ToFloat(ws.get(I16, w1 + o - 2));
                    a1 = s1.fma(FloatVector.broadcast(F256, d1), a1);
                    c1 += d1 * xs;
                    float d2 = Float.float16ToFloat(ws.get(I16, w2 + o - 2));
                    a2 = s2.fma(FloatVector.broadcast(F256, d2), a2);
                    c2 += d2 * xs;
                    float d3 = Float.float16ToFloat(ws.get(I16, w3 + o - 2));
                    a3 = s3.fma(FloatVector.broadcast(F256, d3), a3);
                    c3 += d3 * xs;
                }
                // Σ q·x·d = d·(256·Σ(1 + (q + 128)/256)·x − 384·Σx)
                out[c] = 256 * a0.reduceLanes(VectorOperators.ADD) - 384 * c0;
                out[c + 1] = 256 * a1.reduceLanes(VectorOperators.ADD) - 384 * c1;
                out[c + 2] = 256 * a2.reduceLanes(VectorOperators.ADD) - 384 * c2;
                out[c + 3] = 256 * a3.reduceLanes(VectorOperators.ADD) - 384 * c3;
            }
        }
    }

    /** Q8_0 one row at a time (one sequential stream per thread), two blocks per step into two accumulators. */
    static final class Q8Row1 extends Variant {
        Q8Row1() {
            super("q8Row1");
        }

        @Override
        public void run(int from, int to) {
            long rb = w.rowBytes;
            for (int c = from; c < to; c++) {
                long w0 = c * rb;
                FloatVector a0 = FloatVector.zero(F), a1 = a0;
                for (int b = 0; b < blocks; b += 2) {
                    long o = w0 + b * 34L + 2;
                    FloatVector s0 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, o, LE).convertShape(VectorOperators.B2F, F, 0))
                            .mul(FloatVector.fromArray(F, x, b * 32));
                    FloatVector s1 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, o + 34, LE).convertShape(VectorOperators.B2F, F, 0))
                            .mul(FloatVector.fromArray(F, x, b * 32 + 32));
                    s0 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, o + 16, LE).convertShape(VectorOperators.B2F, F, 0))
                            .fma(FloatVector.fromArray(F, x, b * 32 + 16), s0);
                    s1 = ((FloatVector) ByteVector.fromMemorySegment(B128, ws, o + 50, LE).convertShape(VectorOperators.B2F, F, 0))
                            .fma(FloatVector.fromArray(F, x, b * 32 + 48), s1);
                    a0 = s0.fma(FloatVector.broadcast(F, Float.float16ToFloat(ws.get(I16, o - 2))), a0);
                    a1 = s1.fma(FloatVector.broadcast(F, Float.float16ToFloat(ws.get(I16, o + 32))), a1);
                }
                out[c] = a0.add(a1).reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /** x quantised per block of 32 as llama.cpp's quantize_row_q8_0: d = amax/127, q = round(x/d). */
    static void quantize(float[] x, int k, short[] xq, float[] xd, float[] xs8) {
        for (int b = 0; b < k / 32; b++) {
            float amax = 0;
            for (int i = 0; i < 32; i++) {
                amax = Math.max(amax, Math.abs(x[b * 32 + i]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1 / d : 0;
            xd[b] = d;
            int sum = 0;
            for (int i = 0; i < 32; i++) {
                int q = Math.round(x[b * 32 + i] * id);
                xq[b * 32 + i] = (short) q;
                sum += q;
            }
            xs8[b] = sum;
        }
    }

    /** Random blocks with small f16 scales. */
    static W weight(Arena arena, Random r, DType type, int n, int k) {
        Tensor t = Tensor.allocate(arena, type, n, k);
        MemorySegment seg = t.segment();
        byte[] raw = new byte[(int) seg.byteSize()];
        r.nextBytes(raw);
        MemorySegment.copy(raw, 0, seg, ValueLayout.JAVA_BYTE, 0, raw.length);
        int bb = type.blockBytes();
        for (long b = 0; b < seg.byteSize(); b += bb) {
            seg.set(I16, b, Float.floatToFloat16(0.001f * (1 + r.nextInt(8))));
        }
        W w = new W(t);
        if (type == DType.Q4_0) {
            int blocks = k / 32;
            int chunks = k / 128;
            w.r4 = arena.allocate((long) n * k / 2, 64);
            w.r4Scales = new float[n * blocks];
            for (int row = 0; row < n; row++) {
                int g = row / 4, rr = row % 4;
                for (int b = 0; b < blocks; b++) {
                    long src = row * w.rowBytes + b * 18L;
                    w.r4Scales[(g * 4 + rr) * blocks + b] = Float.float16ToFloat(seg.get(I16, src));
                    long dst = (((long) g * chunks + b / 4) * 4 + rr) * 64 + (b % 4) * 16;
                    MemorySegment.copy(seg, src + 2, w.r4, dst, 16);
                }
            }
        }
        return w;
    }

    /** CPU time of the calling thread and the pool's workers. */
    static long threadCpu(java.lang.management.ThreadMXBean tm) {
        long sum = tm.getCurrentThreadCpuTime();
        for (Thread t : WORKERS) {
            sum += tm.getThreadCpuTime(t.threadId());
        }
        return sum;
    }

    static final List<Thread> WORKERS = new ArrayList<>();

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 11;
        DType type = DType.valueOf(args.length > 2 ? args[2] : "Q4_0");
        int layers = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Arena arena = Arena.ofShared();
        Random r = new Random(5);
        List<W> ws = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            ws.add(weight(arena, r, type, 8192, 2048));
            ws.add(weight(arena, r, type, 2048, 8192));
        }
        if (layers == 0) {                     // L2-resident: [256, 2048] and [64, 8192], 10 times each
            W a = weight(arena, r, type, 256, 2048);
            W b = weight(arena, r, type, 64, 8192);
            for (int i = 0; i < 10; i++) {
                ws.add(a);
                ws.add(b);
            }
        }
        long weights = 0;
        for (W w : ws) {
            weights += (long) w.n * w.k;
        }
        float[][] xs = new float[2][];
        Tensor[] xts = new Tensor[2];
        Tensor[] outTs = new Tensor[2];
        for (int i = 0; i < 2; i++) {
            int k = i == 0 ? 2048 : 8192;
            xs[i] = new float[k];
            for (int j = 0; j < k; j++) {
                xs[i][j] = (float) r.nextGaussian();
            }
            xts[i] = Tensor.allocate(arena, DType.F32, 1, k);
            xts[i].copyFrom(xs[i]);
            outTs[i] = Tensor.allocate(arena, DType.F32, 1, 10240 - k);
        }
        List<Variant> variants = new ArrayList<>();
        variants.add(new Shipped());
        if (type == DType.Q4_0) {
            variants.add(new Q4Exp());
            variants.add(new Q4I2F());
            variants.add(new Q4R4());
            variants.add(new Q4Int8());


        } else {
            variants.add(new Q8Float2());
            variants.add(new Q8Int8());
            variants.add(new Q8Exp());
            variants.add(new Q8Row1());
        }
        float[][] outs = new float[variants.size()][ws.size() * 8192];
        try (WorkerPool pool = new WorkerPool(threads, "variants")) {
            pool.parallelFor(64, 1, (a, b) -> {
                synchronized (WORKERS) {
                    if (!Thread.currentThread().getName().equals("main") && !WORKERS.contains(Thread.currentThread())) {
                        WORKERS.add(Thread.currentThread());
                    }
                }
                long until = System.nanoTime() + 1_000_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            });
            Runnable[] runs = new Runnable[variants.size()];
            for (int v = 0; v < variants.size(); v++) {
                Variant var = variants.get(v);
                float[] out = outs[v];
                runs[v] = () -> {
                    for (int i = 0; i < ws.size(); i++) {
                        W w = ws.get(i);
                        int xi = w.k == 2048 ? 0 : 1;
                        float[] o = new float[w.n];
                        var.bind(w, xs[xi], xts[xi], o, outTs[xi]);
                        pool.parallelFor(w.n, 4, var);
                        var.finish();
                        System.arraycopy(o, 0, out, i * 8192, w.n);
                    }
                };
            }
            for (Runnable run : runs) {
                long until = System.nanoTime() + 4_000_000_000L;
                while (System.nanoTime() < until) {
                    run.run();
                }
            }
            double[][] t = new double[runs.length][rounds];
            double[][] cpuT = new double[runs.length][rounds];
            java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int round = 0; round < rounds; round++) {
                for (int v = 0; v < runs.length; v++) {
                    long t0 = System.nanoTime();
                    long c0 = threadCpu(tm);
                    runs[v].run();
                    t[v][round] = (System.nanoTime() - t0) / (double) weights;
                    cpuT[v][round] = (threadCpu(tm) - c0) / (double) weights;
                }
            }
            System.out.printf("%s decode, %d layers of [8192, 2048] + [2048, 8192], %d threads, %d rounds: ns per weight (wall median, min; process cpu median, min), max rel diff vs shipped%n",
                    type, layers, threads, rounds);
            for (int v = 0; v < runs.length; v++) {
                double[] s = t[v].clone();
                Arrays.sort(s);
                double[] sc = cpuT[v].clone();
                Arrays.sort(sc);
                double diff = 0, scale = 0;
                for (int i = 0; i < outs[0].length; i++) {
                    scale = Math.max(scale, Math.abs(outs[0][i]));
                    diff = Math.max(diff, Math.abs(outs[v][i] - outs[0][i]));
                }
                System.out.printf("  %-10s wall %.4f %.4f  cpu %.4f %.4f  %.2e%n", variants.get(v).name, s[rounds / 2], s[0],
                        sc[rounds / 2], sc[0], diff / scale);
            }
        }
    }
}
