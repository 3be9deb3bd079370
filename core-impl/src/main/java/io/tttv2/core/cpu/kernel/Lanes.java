package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector species, little-endian layouts, scalar element access in any float dtype, and whole-row widening
 * of BF16/F16 to F32.
 *
 * <p>A rule every kernel here follows: a vector never crosses a method boundary. The JDK's own vector
 * methods are force-inlined, but a helper of ours that takes or returns a vector is inlined only while
 * C2's budgets last (and not at all once it has been compiled on its own into a big method); when it is
 * not, every vector passed through it is boxed on the heap and a loop allocates per iteration. So helpers
 * work on whole rows, memory to memory, and vector expressions are written out in the loops that use them.
 */
public final class Lanes {

    /** The vector species every kernel uses: the widest the CPU offers (16 floats with AVX-512). */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    public static final int L = F.length();
    /** Shorts of half the width: one BF16/F16 load that widens to one float vector. */
    public static final VectorSpecies<Short> S_HALF =
            VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    /** Ints of the float width, for bit manipulation of float lanes. */
    public static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    public static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    public static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    public static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    /** F16 magnitude bits placed in an F32 read as the value times 2^-112; this rescales them. */
    private static final float TWO_POW_112 = 0x1p112f;

    private Lanes() {
    }

    // ---- scalars ---------------------------------------------------------------------------------

    /** Element {@code index} (in elements from the start of {@code seg}) as float. */
    public static float read(DType dtype, MemorySegment seg, long index) {
        return switch (dtype) {
            case F32 -> seg.get(F32_LE, index * 4);
            case BF16 -> Float.intBitsToFloat(seg.get(I16_LE, index * 2) << 16);
            case F16 -> Float.float16ToFloat(seg.get(I16_LE, index * 2));
            default -> throw new IllegalArgumentException("not a float dtype: " + dtype);
        };
    }

    /** Stores {@code value} as element {@code index} of {@code seg}, rounding to nearest even for BF16/F16. */
    public static void write(DType dtype, MemorySegment seg, long index, float value) {
        switch (dtype) {
            case F32 -> seg.set(F32_LE, index * 4, value);
            case BF16 -> seg.set(I16_LE, index * 2, toBf16(value));
            case F16 -> seg.set(I16_LE, index * 2, Float.floatToFloat16(value));
            default -> throw new IllegalArgumentException("not a float dtype: " + dtype);
        }
    }

    /** F32 → BF16, rounding to nearest even as torch does; NaN stays a (quiet) NaN. */
    public static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    // ---- rows ------------------------------------------------------------------------------------

    /** {@code dst[at .. at+n) = } n elements of {@code dtype} from element offset {@code from} of seg, as F32. */
    public static void widen(DType dtype, MemorySegment seg, long from, int n, float[] dst, int at) {
        int nv = F.loopBound(n);
        int i = 0;
        switch (dtype) {
            case F32 -> {
                MemorySegment.copy(seg, F32_LE, from * 4, dst, at, n);
                return;
            }
            case BF16 -> {
                for (; i < nv; i += L) {
                    // BF16 → F32 is a 16-bit shift of each lane
                    ShortVector s = ShortVector.fromMemorySegment(S_HALF, seg, (from + i) * 2, LE);
                    ((IntVector) s.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                            .reinterpretAsFloats().intoArray(dst, at + i);
                }
            }
            case F16 -> {
                for (; i < nv; i += L) {
                    // F16 → F32: the magnitude bits shifted into an F32 are the value times 2^-112 for
                    // normal and subnormal halves alike, so one multiply rescales them; exponent 31 (the
                    // only one for which exponent + 1 carries into bit 15: infinities and NaNs) gets the
                    // all-ones F32 exponent or-ed in; then the sign.
                    ShortVector s = ShortVector.fromMemorySegment(S_HALF, seg, (from + i) * 2, LE);
                    IntVector h = (IntVector) s.convertShape(VectorOperators.S2I, I, 0);
                    IntVector finite = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13)
                            .reinterpretAsFloats().mul(TWO_POW_112).reinterpretAsInts();
                    IntVector special = h.and(0x7C00).add(0x0400).lanewise(VectorOperators.LSHR, 15)
                            .neg().and(0x7F800000);
                    IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
                    finite.or(special).or(sign).reinterpretAsFloats().intoArray(dst, at + i);
                }
            }
            default -> throw new IllegalArgumentException("not a float dtype: " + dtype);
        }
        for (; i < n; i++) {
            dst[at + i] = read(dtype, seg, from + i);
        }
    }

    /**
     * n elements of {@code dtype} from element offset {@code from} of src, as F32 into element offset
     * {@code to} of dst; through a per-call scratch row of the caller's.
     */
    public static void widen(DType dtype, MemorySegment src, long from, int n, MemorySegment dst, long to,
                             float[] scratch) {
        if (dtype == DType.F32) {
            MemorySegment.copy(src, from * 4, dst, to * 4, (long) n * 4);
            return;
        }
        if (NativeOps.widen(dtype, src, from, n, dst, to)) {
            return;
        }
        widen(dtype, src, from, n, scratch, 0);
        MemorySegment.copy(scratch, 0, dst, F32_LE, to * 4, n);
    }
}
