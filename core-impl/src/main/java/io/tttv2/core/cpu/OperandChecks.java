package io.tttv2.core.cpu;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.util.Arrays;

/**
 * Validation of op operands, each failure one line: the op, the operand, what was expected and what was
 * found, e.g. {@code matmul: w has shape [704, 255], expected [N, 256] (K from x)}.
 */
final class OperandChecks {

    private OperandChecks() {
    }

    static IllegalArgumentException bad(String op, String operand, String expected, Object found) {
        return new IllegalArgumentException(op + ": " + operand + " " + found + ", expected " + expected);
    }

    static void notNull(String op, String operand, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + operand + " is null");
        }
    }

    static void rank(String op, String operand, Tensor t, int rank) {
        notNull(op, operand, t);
        if (t.rank() != rank) {
            throw bad(op, operand, "rank " + rank, "has shape " + Arrays.toString(t.shape()));
        }
    }

    static void f32(String op, String operand, Tensor t) {
        notNull(op, operand, t);
        if (t.dtype() != DType.F32) {
            throw bad(op, operand, "F32", "has dtype " + t.dtype());
        }
    }

    static void floating(String op, String operand, Tensor t) {
        notNull(op, operand, t);
        if (!t.dtype().isFloating()) {
            throw bad(op, operand, "F32, BF16 or F16", "has dtype " + t.dtype());
        }
    }

    static void sameShape(String op, String operand, Tensor t, Tensor like, String likeName) {
        notNull(op, operand, t);
        if (!sameShape(t, like)) {
            throw bad(op, operand, Arrays.toString(like.shape()) + " (the shape of " + likeName + ")",
                    "has shape " + Arrays.toString(t.shape()));
        }
    }

    /** Compares without allocating (Tensor.shape() copies). */
    static boolean sameShape(Tensor a, Tensor b) {
        if (a.rank() != b.rank()) {
            return false;
        }
        for (int d = 0; d < a.rank(); d++) {
            if (a.dim(d) != b.dim(d)) {
                return false;
            }
        }
        return true;
    }

    /** Dimension d of t is {@code expected}, which is {@code what} of {@code source} (for the message). */
    static void dim(String op, String operand, Tensor t, int d, int expected, String what, Tensor source) {
        if (t.dim(d) != expected) {
            throw bad(op, operand, "dimension " + d + " = " + expected + " (" + what
                    + (source == null ? "" : " " + Arrays.toString(source.shape())) + ")",
                    "has shape " + Arrays.toString(t.shape()));
        }
    }

    /** The last dimension is contiguous: kernels stream it with vector loads. */
    static void unitInnerStride(String op, String operand, Tensor t) {
        if (t.rank() > 0 && t.dim(-1) > 1 && t.stride(-1) != 1) {
            throw bad(op, operand, "unit stride along its last dimension", "has stride " + t.stride(-1));
        }
    }
}
