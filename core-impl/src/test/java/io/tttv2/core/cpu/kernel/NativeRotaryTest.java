package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.TestTensors.set;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.assertSameBits;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.nativeCall;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.requireRoute;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.values;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.withRoute;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native rotary embedding (rotary.c) against RotaryKernel's Java loops (route off): two products and one
 * subtraction or addition per output, the same in every tier, so equal bit for bit on both styles, x and out
 * contiguous, element-strided or the same tensor (in place), tables F32 / BF16 / F16 and strided, rotary
 * dimensions with and without a vector tail and below the head dimension (the rest copied), random positions,
 * and tokens in two chunks. Heap memory runs in Java.
 */
class NativeRotaryTest {

    enum XLayout { CONTIGUOUS, ELEMENTS, IN_PLACE }

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (RotaryStyle style : RotaryStyle.values()) {
            for (XLayout layout : XLayout.values()) {
                for (DType table : new DType[] {DType.F32, DType.BF16, DType.F16}) {
                    // {heads, headDim, rotaryDim}: 1B's 64; a tail (R/2 = 17); R < D; one pair
                    for (int[] s : new int[][] {{4, 64, 64}, {3, 34, 34}, {2, 80, 40}, {1, 2, 2}, {2, 128, 96}}) {
                        all.add(Arguments.of(style, layout, table, s[0], s[1], s[2]));
                    }
                }
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} {1} tables {2} heads={3} D={4} R={5}")
    @MethodSource("cases")
    void equalsTheJavaKernel(RotaryStyle style, XLayout layout, DType table, int heads, int d, int rotaryDim) {
        requireRoute();
        Random r = new Random(heads * 131L + d * 7 + rotaryDim + style.ordinal() + table.ordinal() * 3);
        int tokens = 5;
        int maxPos = 40;
        boolean stridedTables = (d + table.ordinal()) % 2 == 0;
        Tensor cos = table(r, table, maxPos, rotaryDim / 2, stridedTables);
        Tensor sin = table(r, table, maxPos, rotaryDim / 2, stridedTables);
        int[] positions = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            positions[t] = r.nextInt(maxPos);
        }
        float[] xv = values(r, tokens * heads * d);
        Tensor javaX = x(layout, tokens, heads, d, xv);
        Tensor javaOut = layout == XLayout.IN_PLACE ? javaX : x(layout, tokens, heads, d, new float[xv.length]);
        Tensor nativeX = x(layout, tokens, heads, d, xv);
        Tensor nativeOut = layout == XLayout.IN_PLACE ? nativeX : x(layout, tokens, heads, d, new float[xv.length]);
        withRoute(false, () -> RotaryKernel.apply(javaX, cos, sin, positions, style, javaOut, 0, tokens));
        nativeCall(NativeOps.ROTARY, true, "rotary", () -> {
            RotaryKernel.apply(nativeX, cos, sin, positions, style, nativeOut, 0, 2);
            RotaryKernel.apply(nativeX, cos, sin, positions, style, nativeOut, 2, tokens);
        });
        assertSameBits(javaOut.toFloatArray(), nativeOut.toFloatArray(), style + " " + layout + " " + table);
        // and it did rotate: some output differs from its input where the angle is not 0
        float[] out = nativeOut.toFloatArray();
        boolean moved = false;
        for (int i = 0; i < out.length && !moved; i++) {
            moved = Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(xv[i]);
        }
        assertTrue(moved, "nothing rotated");
    }

    /** Heap memory runs in Java, with the same bits. */
    @Test
    void heapMemoryRunsInJava() {
        requireRoute();
        Random r = new Random(2);
        Tensor cos = table(r, DType.F32, 8, 16, false);
        Tensor sin = table(r, DType.F32, 8, 16, false);
        int[] positions = {3, 0, 7};
        float[] xv = values(r, 3 * 2 * 32);
        Tensor heapX = Tensor.wrap(MemorySegment.ofArray(xv.clone()), DType.F32, 3, 2, 32);
        Tensor heapOut = Tensor.wrap(MemorySegment.ofArray(new float[xv.length]), DType.F32, 3, 2, 32);
        nativeCall(NativeOps.ROTARY, false, "heap", () -> RotaryKernel.apply(heapX, cos, sin, positions,
                RotaryStyle.HALF, heapOut, 0, 3));
        Tensor nativeX = x(XLayout.CONTIGUOUS, 3, 2, 32, xv);
        Tensor nativeOut = x(XLayout.CONTIGUOUS, 3, 2, 32, new float[xv.length]);
        nativeCall(NativeOps.ROTARY, true, "native", () -> RotaryKernel.apply(nativeX, cos, sin, positions,
                RotaryStyle.HALF, nativeOut, 0, 3));
        assertSameBits(heapOut.toFloatArray(), nativeOut.toFloatArray(), "heap vs native");
    }

    /** A position outside the tables is left to the Java loops, which throw, rather than read past them in C. */
    @Test
    void aPositionOutsideTheTablesRunsInJava() {
        requireRoute();
        Random r = new Random(3);
        Tensor cos = table(r, DType.F32, 8, 16, false);
        Tensor sin = table(r, DType.F32, 8, 16, false);
        Tensor x = x(XLayout.CONTIGUOUS, 2, 1, 32, values(r, 64));
        Tensor out = x(XLayout.CONTIGUOUS, 2, 1, 32, new float[64]);
        nativeCall(NativeOps.ROTARY, false, "position 8 of 8 rows", () -> assertThrows(IndexOutOfBoundsException.class,
                () -> RotaryKernel.apply(x, cos, sin, new int[] {1, 8}, RotaryStyle.HALF, out, 0, 2)));
    }

    /** x [T, heads, D] holding values: contiguous, or elements 2 apart (in place: contiguous, out is x). */
    private static Tensor x(XLayout layout, int tokens, int heads, int d, float[] values) {
        Tensor t = layout == XLayout.ELEMENTS
                ? Tensor.allocate(Arena.ofAuto(), DType.F32, tokens, heads, d, 2).select(3, 0)
                : Tensor.allocate(Arena.ofAuto(), DType.F32, tokens, heads, d);
        set(t, values);
        return t;
    }

    /** A cos or sin table [maxPos, half] of angles' cos / sin-like values in [-1, 1], maybe strided. */
    private static Tensor table(Random r, DType dtype, int maxPos, int half, boolean strided) {
        Tensor t = strided ? Tensor.allocate(Arena.ofAuto(), dtype, maxPos, half, 2).select(2, 1)
                : Tensor.allocate(Arena.ofAuto(), dtype, maxPos, half);
        float[] v = new float[maxPos * half];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.cos(r.nextDouble() * 7);
        }
        set(t, v);
        return t;
    }
}
