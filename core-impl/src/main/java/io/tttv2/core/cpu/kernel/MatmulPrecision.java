package io.tttv2.core.cpu.kernel;

import java.util.Locale;

/**
 * How matmuls with BF16 weights multiply, process-wide, set by the system property {@value #PROPERTY} (the CLI's
 * {@code --matmul-precision} sets it before a model loads):
 * <ul>
 *   <li>{@link #F32} (default): x stays F32 and the weights widen exactly, every product and sum in F32.</li>
 *   <li>{@link #BF16} (opt in): each value of x is rounded to BF16 (nearest even) and the products are summed by
 *       AVX-512 BF16 dot products in F32 ({@link NativeBf16Dot}, bf16_dot.c): twice the multiply-adds per
 *       instruction, at the cost of x's rounding (relative error up to 2⁻⁹ per value). Needs the native kernels and
 *       a CPU with AVX512_BF16; asked for elsewhere, matmuls with BF16 weights fail with {@link Unavailable} rather
 *       than silently running F32.</li>
 * </ul>
 * Other weight dtypes (F32, F16, quantised) are not affected.
 */
public enum MatmulPrecision {
    F32, BF16;

    /** The system property naming the precision: {@code f32} or {@code bf16}. */
    public static final String PROPERTY = "tttv2.matmul.precision";

    /** The last value of the property parsed, so a matmul's check is one property read and a reference compare. */
    private record Parsed(String raw, MatmulPrecision value) {
    }

    private static volatile Parsed last = new Parsed(null, F32);

    /** The name the option and the property take. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code f32} or {@code bf16} (any case); null means {@link #F32}.
     *
     * @throws IllegalArgumentException naming the values taken and the one found
     */
    public static MatmulPrecision parse(String value) {
        if (value == null) {
            return F32;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "f32" -> F32;
            case "bf16" -> BF16;
            default -> throw new IllegalArgumentException("expected f32 or bf16, found '" + value + "'");
        };
    }

    /**
     * The precision {@value #PROPERTY} asks for, checked.
     *
     * @throws Unavailable if the value is not a precision, or asks for BF16 where this machine cannot run it
     */
    public static MatmulPrecision configured() {
        String raw = System.getProperty(PROPERTY);
        Parsed p = last;
        if (raw != p.raw() && (raw == null || !raw.equals(p.raw()))) {
            try {
                p = new Parsed(raw, parse(raw));
            } catch (IllegalArgumentException e) {
                throw new Unavailable("-D" + PROPERTY + ": " + e.getMessage());
            }
            last = p;
        }
        if (p.value() == BF16) {
            requireBf16();
        }
        return p.value();
    }

    /** Null if {@link #BF16} can run here, else why not (one line). */
    public static String bf16Limit() {
        return NativeKernels.BF16_DOT_LIMIT;
    }

    /** @throws Unavailable if {@link #BF16} cannot run here */
    static void requireBf16() {
        String limit = NativeKernels.BF16_DOT_LIMIT;
        if (limit != null) {
            throw new Unavailable("matmul precision bf16 needs the native kernels on a CPU with AVX512_BF16: " + limit);
        }
    }

    /** The precision cannot be used: the property's value is not one, or this machine cannot run it. */
    public static final class Unavailable extends IllegalStateException {
        Unavailable(String message) {
            super(message);
        }
    }
}
