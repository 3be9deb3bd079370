package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.Tensor;

/**
 * The BF16 precision's arithmetic ({@link MatmulPrecision#BF16}) in Java scalars, value by value as the Intel SDM
 * defines VCVTNE2PS2BF16 and VDPBF16PS, in bf16_dot.c's order of summation (its header comment). Zen 4 computes
 * exactly this (measured over 2·10⁷ random operands, subnormal, infinite and NaN ones included: it subtracts
 * nothing and adds nothing to the SDM). It serves the calls whose operands are not native memory (so a call gives
 * the same bits whichever route it takes) and is the tests' model of the native kernel.
 */
public final class Bf16DotModel {

    /** Values per chunk: one 64-byte vector of BF16 pairs, 16 F32 lanes. */
    static final int CHUNK = 32;

    private Bf16DotModel() {
    }

    /**
     * v rounded to BF16 bits: a NaN keeps its upper half with the quiet bit set; a subnormal becomes a zero of its
     * sign (the instruction treats input subnormals as zero); otherwise round to nearest, ties to even (infinity
     * past the largest BF16).
     */
    public static short round(float v) {
        int b = Float.floatToRawIntBits(v);
        if ((b & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) ((b >>> 16) | 0x40);
        }
        if ((b & 0x7F80_0000) == 0) {
            return (short) ((b >>> 16) & 0x8000);
        }
        return (short) ((b + 0x7FFF + ((b >>> 16) & 1)) >>> 16);
    }

    /** BF16 bits as a float (exact). */
    public static float widen(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** A subnormal as a zero of its sign (the instruction's DAZ on inputs and FTZ on results). */
    static float flush(float v) {
        return Math.abs(v) < Float.MIN_NORMAL ? Math.copySign(0f, v) : v;
    }

    /** One VDPBF16PS lane: acc + x odd · w odd, then + x even · w even, each rounded once, subnormals flushed. */
    public static float lane(float acc, short xEven, short xOdd, short wEven, short wOdd) {
        float a = flush(acc);
        a = flush(Math.fma(flush(widen(xOdd)), flush(widen(wOdd)), a));
        return flush(Math.fma(flush(widen(xEven)), flush(widen(wEven)), a));
    }

    /** The 16 lanes summed in the kernel's tree (plain F32 adds). */
    public static float hsum16(float[] acc) {
        float[] s8 = new float[8];
        for (int l = 0; l < 8; l++) {
            s8[l] = acc[l] + acc[l + 8];
        }
        float s40 = s8[0] + s8[4], s41 = s8[1] + s8[5], s42 = s8[2] + s8[6], s43 = s8[3] + s8[7];
        return (s40 + s42) + (s41 + s43);
    }

    /**
     * xb · row of w: xb holds a row of x already rounded ({@link #round}), k values from xOff; w is read as BF16 bits
     * from element wOff of w's segment. Chunks of 32 in order, the last zero-padded past K.
     */
    static float dot(short[] xb, int xOff, Tensor w, long wOff, int k) {
        float[] acc = new float[16];
        for (int c = 0; c < k; c += CHUNK) {
            for (int l = 0; l < 16; l++) {
                int e = c + 2 * l;
                short xe = e < k ? xb[xOff + e] : 0;
                short xo = e + 1 < k ? xb[xOff + e + 1] : 0;
                short we = e < k ? bits(w, wOff + e) : 0;
                short wo = e + 1 < k ? bits(w, wOff + e + 1) : 0;
                acc[l] = lane(acc[l], xe, xo, we, wo);
            }
        }
        return hsum16(acc);
    }

    private static short bits(Tensor w, long element) {
        return w.base().get(Lanes.I16_LE, 2 * element);
    }
}
