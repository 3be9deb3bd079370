package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.I;
import static io.tttv2.core.cpu.kernel.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;

import io.tttv2.api.tensor.DType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.IntVector;

/**
 * The "split" order of a row of n elements: the even-indexed elements first, then the odd-indexed ones
 * (then the last element if n is odd): {@code [v0, v2, …, v1, v3, …]}. A dot product is the same in any
 * order, and 16-bit rows widen into this order with plain int-lane arithmetic: one 32-bit lane holds an
 * even element in its low half and the next odd element in its high half, so a vector of L ints gives L
 * even and L odd elements with a shift and a mask — no lane-count-changing conversion, which C2 compiles
 * less reliably. Kernels put both operands of a dot product in split order.
 */
public final class SplitOrder {

    private static final int L = Lanes.L;
    private static final float TWO_POW_112 = 0x1p112f;

    private SplitOrder() {
    }

    /** dst[at ..] = n F32 elements from element offset {@code from} of seg, in split order. */
    public static void splitF32(MemorySegment seg, long from, int n, float[] dst, int at) {
        int pairs = n / 2;
        for (int j = 0; j < pairs; j++) {
            dst[at + j] = seg.get(Lanes.F32_LE, (from + 2L * j) * 4);
            dst[at + pairs + j] = seg.get(Lanes.F32_LE, (from + 2L * j + 1) * 4);
        }
        if ((n & 1) != 0) {
            dst[at + n - 1] = seg.get(Lanes.F32_LE, (from + n - 1) * 4);
        }
    }

    /** dst[at ..] = src[from ..] (n elements) in split order. */
    public static void split(float[] src, int from, int n, float[] dst, int at) {
        int pairs = n / 2;
        for (int j = 0; j < pairs; j++) {
            dst[at + j] = src[from + 2 * j];
            dst[at + pairs + j] = src[from + 2 * j + 1];
        }
        if ((n & 1) != 0) {
            dst[at + n - 1] = src[from + n - 1];
        }
    }

    /** Element {@code i} (natural index) of a row of n elements stored in split order starting at at. */
    public static int index(int i, int n) {
        int pairs = n / 2;
        if (i == 2 * pairs) {
            return n - 1;
        }
        return (i & 1) == 0 ? i / 2 : pairs + i / 2;
    }

    /**
     * dst[at ..] = n elements of a BF16 or F16 row at element offset {@code from} of seg, widened to F32,
     * in split order.
     */
    public static void widen(DType dtype, MemorySegment seg, long from, int n, float[] dst, int at) {
        int pairs = n / 2;
        int pv = F.loopBound(pairs);
        int j = 0;
        if (dtype == DType.BF16) {
            for (; j < pv; j += L) {
                IntVector w = IntVector.fromMemorySegment(I, seg, (from + 2L * j) * 2, LE);
                w.lanewise(LSHL, 16).reinterpretAsFloats().intoArray(dst, at + j);
                w.and(0xFFFF0000).reinterpretAsFloats().intoArray(dst, at + pairs + j);
            }
        } else if (dtype == DType.F16) {
            for (; j < pv; j += L) {
                IntVector w = IntVector.fromMemorySegment(I, seg, (from + 2L * j) * 2, LE);
                IntVector lo = w.and(0xFFFF);
                IntVector hi = w.lanewise(LSHR, 16);
                // F16 → F32: the magnitude bits shifted into an F32 read as the value times 2^-112, normal
                // or subnormal, so one multiply rescales them; exponent 31 (infinity, NaN: the only one
                // for which exponent + 1 carries into bit 15) gets the all-ones F32 exponent; then the sign
                IntVector loBits = lo.and(0x7FFF).lanewise(LSHL, 13).reinterpretAsFloats().mul(TWO_POW_112).reinterpretAsInts()
                        .or(lo.and(0x7C00).add(0x0400).lanewise(LSHR, 15).neg().and(0x7F800000))
                        .or(lo.and(0x8000).lanewise(LSHL, 16));
                IntVector hiBits = hi.and(0x7FFF).lanewise(LSHL, 13).reinterpretAsFloats().mul(TWO_POW_112).reinterpretAsInts()
                        .or(hi.and(0x7C00).add(0x0400).lanewise(LSHR, 15).neg().and(0x7F800000))
                        .or(hi.and(0x8000).lanewise(LSHL, 16));
                loBits.reinterpretAsFloats().intoArray(dst, at + j);
                hiBits.reinterpretAsFloats().intoArray(dst, at + pairs + j);
            }
        } else {
            throw new IllegalArgumentException("split widening of " + dtype + ", expected BF16 or F16");
        }
        for (; j < pairs; j++) {
            dst[at + j] = Lanes.read(dtype, seg, from + 2L * j);
            dst[at + pairs + j] = Lanes.read(dtype, seg, from + 2L * j + 1);
        }
        if ((n & 1) != 0) {
            dst[at + n - 1] = Lanes.read(dtype, seg, from + n - 1);
        }
    }
}
