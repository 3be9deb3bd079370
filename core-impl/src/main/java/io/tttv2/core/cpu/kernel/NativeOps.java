package io.tttv2.core.cpu.kernel;

import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * The native route of the row-wise F32 ops (core-impl/src/main/c/row_ops.c and rotary.c): RMSNorm, ADD and MUL,
 * SiLU / tanh-GELU gating, rotary embedding and BF16/F16 → F32 row widening. Each Java kernel asks here first
 * and runs its own loops only if this returns false. The C functions compute the same bits as the Java kernels
 * compiled by C2 (same operations in the same order, 16 lanes, C2's lane tree for a reduction, and the JDK's own
 * libjsvml exp / tanh, which is what FloatVector's EXP and TANH call in C2), so a model's output does not depend
 * on the route. They exist for the first token of a fresh process (issue 12): run natively from the first call,
 * these ops wait neither for the interpreter nor for the JIT compilers.
 *
 * <p>The route is taken where {@link NativeKernels#AVAILABLE}, Java's vectors are the 16 float lanes the C code
 * reproduces, {@code -Dtttv2.kernels.nativeOps} is not {@code false} (the A/B switch; matmuls are not affected),
 * and every operand is native memory whose rows (as {@link TensorRows} numbers them) are evenly spaced. Gating
 * needs in addition unit inner strides and a row width that is a whole number of vectors (the Java tail
 * evaluates in double with {@code Math.exp}, which C cannot promise to reproduce), and libjsvml found.
 *
 * <p>A call allocates nothing: addresses go as {@code long}; rotary's positions are copied into a per-thread
 * native buffer, grown rarely.
 */
public final class NativeOps {

    /** Which routes ran (bits below), for the tests' route-taken assertions; written only when a bit is new. */
    static final int RMS_NORM = 1;
    static final int BINARY = 2;
    static final int GATED = 4;
    static final int ROTARY = 8;
    static final int WIDEN = 16;
    static int taken;

    /** The C functions can stand in for the Java kernels here (bound, and Java's vectors are 16 floats). */
    static final boolean USABLE = NativeKernels.AVAILABLE && Lanes.L == 16;
    /** The route's setting: {@code -Dtttv2.kernels.nativeOps=false} turns it off; tests switch it per test. */
    static boolean on = USABLE && !"false".equals(System.getProperty("tttv2.kernels.nativeOps"));

    /** libjsvml's 16-lane exp and tanh, as C2 calls them for FloatVector EXP / TANH; 0 if not found. */
    static final long EXP;
    static final long TANH;

    static {
        long exp = 0;
        long tanh = 0;
        // the JDK picks its math library by this property (svml by default on x86-64); another one has other bits
        String library = System.getProperty("jdk.incubator.vector.VectorMathLibrary", "svml");
        if (USABLE && library.equals("svml")) {
            try {
                SymbolLookup svml = SymbolLookup.libraryLookup(
                        Path.of(System.getProperty("java.home"), "lib", "libjsvml.so"), Arena.global());
                // no lambdas here: the first one spins a class, milliseconds in a fresh process
                exp = svml.find("__jsvml_expf16_ha_z0").orElse(MemorySegment.NULL).address();
                tanh = svml.find("__jsvml_tanhf16_ha_z0").orElse(MemorySegment.NULL).address();
            } catch (RuntimeException e) {
                // no libjsvml: gating stays in Java
            }
        }
        EXP = exp;
        TANH = tanh;
    }

    /** Rows of a tensor whose spacing is not one stride. */
    private static final long UNEVEN = Long.MIN_VALUE;

    /** Per thread: the native buffer rotary's positions are copied into (set on first use, no lambda). */
    private static final ThreadLocal<MemorySegment> POSITIONS = new ThreadLocal<>();

    private NativeOps() {
    }

    /** {@link NormKernels#rmsNorm} natively; false if this call must run in Java. */
    static boolean rmsNorm(Tensor x, Tensor w, float eps, float weightOffset, Tensor out, int from, int to) {
        if (!on || !x.base().isNative() || !w.base().isNative() || !writable(out)) {
            return false;
        }
        long xRow = rowStride(x);
        long oRow = rowStride(out);
        int wt = code(w.dtype());
        if (xRow == UNEVEN || oRow == UNEVEN || wt < 0) {
            return false;
        }
        try {
            NativeKernels.RMS_NORM.invokeExact(address(x, from), xRow, TensorRows.innerStride(x), address(out, from),
                    oRow, TensorRows.innerStride(out), (long) (to - from), (long) TensorRows.width(x),
                    w.base().address() + w.offset() * w.dtype().byteSize(), w.stride(0), (long) wt, eps, weightOffset);
        } catch (Throwable e) {
            throw new IllegalStateException("native rmsNorm failed", e);
        }
        mark(RMS_NORM);
        return true;
    }

    /** {@link ElementwiseKernels#binary} natively; false if this call must run in Java. */
    static boolean binary(ElementwiseKernels.BinaryOp op, Tensor a, Tensor b, Tensor out, int from, int to) {
        if (!on || !a.base().isNative() || !b.base().isNative() || !writable(out)) {
            return false;
        }
        long aRow = rowStride(a);
        long bRow = rowStride(b);
        long oRow = rowStride(out);
        if (aRow == UNEVEN || bRow == UNEVEN || oRow == UNEVEN) {
            return false;
        }
        long aa = address(a, from);
        long ba = address(b, from);
        long oa = address(out, from);
        long rows = to - from;
        long n = TensorRows.width(out);
        // each handle called by its constant field, so that C2 links the call directly
        try {
            if (op == ElementwiseKernels.BinaryOp.ADD) {
                NativeKernels.ADD.invokeExact(aa, aRow, TensorRows.innerStride(a), ba, bRow, TensorRows.innerStride(b),
                        oa, oRow, TensorRows.innerStride(out), rows, n);
            } else {
                NativeKernels.MUL.invokeExact(aa, aRow, TensorRows.innerStride(a), ba, bRow, TensorRows.innerStride(b),
                        oa, oRow, TensorRows.innerStride(out), rows, n);
            }
        } catch (Throwable e) {
            throw new IllegalStateException("native " + op + " failed", e);
        }
        mark(BINARY);
        return true;
    }

    /** {@link ElementwiseKernels#gated} natively (SILU, GELU_TANH); false if this call must run in Java. */
    static boolean gated(UnaryOp f, Tensor gate, Tensor up, Tensor out, int from, int to) {
        long fn = f == UnaryOp.SILU ? EXP : f == UnaryOp.GELU_TANH ? TANH : 0;
        int n = TensorRows.width(out);
        if (!on || fn == 0 || n % Lanes.L != 0 || !gate.base().isNative() || !up.base().isNative()
                || !writable(out) || TensorRows.innerStride(gate) != 1 || TensorRows.innerStride(up) != 1
                || TensorRows.innerStride(out) != 1) {
            return false;
        }
        long gRow = rowStride(gate);
        long uRow = rowStride(up);
        long oRow = rowStride(out);
        if (gRow == UNEVEN || uRow == UNEVEN || oRow == UNEVEN) {
            return false;
        }
        long ga = address(gate, from);
        long ua = address(up, from);
        long oa = address(out, from);
        try {
            if (f == UnaryOp.SILU) {
                NativeKernels.SILU_GATE.invokeExact(ga, gRow, ua, uRow, oa, oRow, (long) (to - from), (long) n, fn);
            } else {
                NativeKernels.GELU_TANH_GATE.invokeExact(ga, gRow, ua, uRow, oa, oRow, (long) (to - from), (long) n, fn);
            }
        } catch (Throwable e) {
            throw new IllegalStateException("native gated " + f + " failed", e);
        }
        mark(GATED);
        return true;
    }

    /** {@link RotaryKernel#apply} natively; false if this call must run in Java. */
    static boolean rotary(Tensor x, Tensor cos, Tensor sin, int[] positions, RotaryStyle style, Tensor out, int from,
                          int to) {
        int ct = code(cos.dtype());
        int st = code(sin.dtype());
        if (!on || ct < 0 || st < 0 || !x.base().isNative() || !writable(out) || !cos.base().isNative()
                || !sin.base().isNative()) {
            return false;
        }
        int tokens = to - from;
        for (int t = from; t < to; t++) {
            if (positions[t] < 0 || positions[t] >= cos.dim(0)) {
                return false;           // C would read outside the tables; the Java loops throw
            }
        }
        MemorySegment pos = POSITIONS.get();
        if (pos == null || pos.byteSize() < 4L * tokens) {
            pos = Arena.ofAuto().allocate(4L * Math.max(tokens, 64), 64);
            POSITIONS.set(pos);
        }
        MemorySegment.copy(positions, from, pos, ValueLayout.JAVA_INT, 0, tokens);
        long xa = x.base().address() + 4 * (x.offset() + from * x.stride(0));
        long oa = out.base().address() + 4 * (out.offset() + from * out.stride(0));
        try {
            NativeKernels.ROTARY.invokeExact(xa, x.stride(0), x.stride(1), x.stride(2), oa, out.stride(0),
                    out.stride(1), out.stride(2),
                    cos.base().address() + cos.offset() * cos.dtype().byteSize(), cos.stride(0), cos.stride(1), (long) ct,
                    sin.base().address() + sin.offset() * sin.dtype().byteSize(), sin.stride(0), sin.stride(1), (long) st,
                    pos.address(), (long) tokens, (long) x.dim(1), (long) x.dim(2), (long) cos.dim(1),
                    style == RotaryStyle.INTERLEAVED ? 1L : 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("native rotary failed", e);
        }
        mark(ROTARY);
        return true;
    }

    /**
     * {@link Lanes#widen(DType, MemorySegment, long, int, MemorySegment, long, float[])} natively (BF16, F16);
     * false if this call must run in Java.
     */
    static boolean widen(DType dtype, MemorySegment src, long from, int n, MemorySegment dst, long to) {
        if (!on || (dtype != DType.BF16 && dtype != DType.F16) || !src.isNative() || !dst.isNative() || dst.isReadOnly()) {
            return false;
        }
        try {
            NativeKernels.WIDEN.invokeExact((long) code(dtype), src.address(), from, (long) n, dst.address() + 4 * to);
        } catch (Throwable e) {
            throw new IllegalStateException("native widen failed", e);
        }
        mark(WIDEN);
        return true;
    }

    /** Native memory C may write (a read-only mapping would fault where Java throws). */
    private static boolean writable(Tensor out) {
        return out.base().isNative() && !out.base().isReadOnly();
    }

    /** Row {@code row}'s first element as an address (an F32 tensor). */
    private static long address(Tensor t, int row) {
        return t.base().address() + 4 * TensorRows.offset(t, row);
    }

    /**
     * Elements from one row to the next, if that is one number for all rows of t ({@link TensorRows#offset} is
     * then offset + row · it), else {@link #UNEVEN}: the dimensions before the last, from the inner one out,
     * each of size 1 or spaced by the product of the ones inside it.
     */
    static long rowStride(Tensor t) {
        long stride = 0;
        long rows = 1;
        for (int d = t.rank() - 2; d >= 0; d--) {
            int n = t.dim(d);
            if (n == 1) {
                continue;
            }
            if (rows == 1) {
                stride = t.stride(d);
            } else if (t.stride(d) != stride * rows) {
                return UNEVEN;
            }
            rows *= n;
        }
        return stride;
    }

    /** The C functions' dtype code, or -1. */
    private static int code(DType dtype) {
        return switch (dtype) {
            case F32 -> 0;
            case BF16 -> 1;
            case F16 -> 2;
            default -> -1;
        };
    }

    private static void mark(int route) {
        if ((taken & route) == 0) {
            taken |= route;
        }
    }
}
