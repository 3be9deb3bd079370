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
 * Loading and storing float lanes from tensor memory in any float dtype, and scalar element access.
 * Tensor memory is little-endian; BF16 is the top half of an F32; F16 is IEEE binary16.
 */
public final class Lanes {

    /** The vector species every kernel uses: the widest the CPU offers (16 floats with AVX-512). */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    public static final int L = F.length();
    /** Shorts of half the width: one BF16/F16 load that widens to one float vector. */
    static final VectorSpecies<Short> S_HALF = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    public static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    public static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    public static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    public static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);

    private static final float TWO_POW_112 = 0x1p112f;

    private Lanes() {
    }

    // ---- vectors ---------------------------------------------------------------------------------

    /** {@link #L} floats at {@code byteOffset}, stored as {@code dtype} (F32, BF16 or F16). */
    public static FloatVector load(DType dtype, MemorySegment seg, long byteOffset) {
        return switch (dtype) {
            case F32 -> FloatVector.fromMemorySegment(F, seg, byteOffset, LE);
            case BF16 -> loadBf16(seg, byteOffset);
            case F16 -> loadF16(seg, byteOffset);
            default -> throw new IllegalArgumentException("not a float dtype: " + dtype);
        };
    }

    public static FloatVector loadF32(MemorySegment seg, long byteOffset) {
        return FloatVector.fromMemorySegment(F, seg, byteOffset, LE);
    }

    /** BF16 → F32 is a 16-bit shift of each lane. */
    public static FloatVector loadBf16(MemorySegment seg, long byteOffset) {
        ShortVector s = ShortVector.fromMemorySegment(S_HALF, seg, byteOffset, LE);
        IntVector i = (IntVector) s.convertShape(VectorOperators.S2I, I, 0);
        return i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /**
     * F16 → F32 without a conversion instruction: the magnitude bits shifted into an F32 are the value
     * times 2^-112 for normal and subnormal halves alike, so one multiply rescales them. Infinities and
     * NaNs (exponent 31, the only one for which exponent + 1 carries into bit 15) get the all-ones F32
     * exponent or-ed in; the sign is or-ed back. No masks: plain integer lanes only.
     */
    public static FloatVector loadF16(MemorySegment seg, long byteOffset) {
        ShortVector s = ShortVector.fromMemorySegment(S_HALF, seg, byteOffset, LE);
        IntVector h = (IntVector) s.convertShape(VectorOperators.S2I, I, 0);   // sign-extended: masked below
        IntVector magnitude = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
        IntVector finite = magnitude.reinterpretAsFloats().mul(TWO_POW_112).reinterpretAsInts();
        IntVector special = h.and(0x7C00).add(0x0400).lanewise(VectorOperators.LSHR, 15).neg().and(0x7F800000);
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        return finite.or(special).or(sign).reinterpretAsFloats();
    }

    public static void storeF32(FloatVector v, MemorySegment seg, long byteOffset) {
        v.intoMemorySegment(seg, byteOffset, LE);
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
}
