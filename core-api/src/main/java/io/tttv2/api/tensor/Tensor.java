package io.tttv2.api.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array over a {@link MemorySegment} (off-heap, or a memory-mapped checkpoint file).
 * A value: immutable shape, dtype and layout; views ({@link #reshape}, {@link #slice}, {@link #select})
 * share memory and never copy. Elements are little-endian, as in safetensors. Strides are in elements;
 * a freshly allocated or wrapped tensor is contiguous and row-major.
 *
 * <p>A tensor of a block-quantised {@link DType} ({@link DType#isQuantized()}) stores its rows as whole blocks:
 * its last dimension is a multiple of {@link DType#blockSize()} and has stride 1, and views cut it only on block
 * boundaries. Offsets and strides still count elements; bytes come from {@link DType#bytesFor(long)}. Reading
 * such a tensor ({@link #getFloat}, {@link #toFloatArray}, {@link #readFloat}) dequantises.
 *
 * <p>The element accessors here are for set-up, tests and references; kernels read {@link #segment()}
 * directly.
 */
public final class Tensor {

    /** Allocations are aligned for the widest vector registers. */
    public static final long ALIGNMENT = 64;

    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment base;   // the whole backing memory
    private final DType dtype;
    private final int[] shape;
    private final long[] strides;       // in elements
    private final long offset;          // of element [0,...,0] in base, in elements

    private Tensor(MemorySegment base, DType dtype, int[] shape, long[] strides, long offset) {
        this.base = base;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ---- creation ------------------------------------------------------------------------------

    /** A zeroed, contiguous tensor allocated in {@code arena}. */
    public static Tensor allocate(Arena arena, DType dtype, int... shape) {
        int[] dims = checkShape(dtype, shape);
        long bytes = dtype.bytesFor(elementCount(dims));
        MemorySegment segment = arena.allocate(Math.max(bytes, 1), ALIGNMENT);
        return new Tensor(segment, dtype, dims, contiguousStrides(dims), 0);
    }

    /** A contiguous tensor over existing memory (no copy); the segment must hold exactly its bytes. */
    public static Tensor wrap(MemorySegment segment, DType dtype, int... shape) {
        int[] dims = checkShape(dtype, shape);
        long bytes = dtype.bytesFor(elementCount(dims));
        if (segment.byteSize() != bytes) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes cannot hold " + dtype
                    + Arrays.toString(dims) + " (" + bytes + " bytes)");
        }
        return new Tensor(segment, dtype, dims, contiguousStrides(dims), 0);
    }

    /** An F32 tensor holding a copy of {@code values}, in GC-managed memory. */
    public static Tensor of(float[] values, int... shape) {
        Tensor t = allocate(Arena.ofAuto(), DType.F32, shape);
        if (values.length != t.elementCount()) {
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        }
        MemorySegment.copy(values, 0, t.base, F32_LE, 0, values.length);
        return t;
    }

    // ---- shape ---------------------------------------------------------------------------------

    public DType dtype() {
        return dtype;
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code d}; negative {@code d} counts from the end. */
    public int dim(int d) {
        return shape[d < 0 ? shape.length + d : d];
    }

    public int[] shape() {
        return shape.clone();
    }

    /** Stride of dimension {@code d} in elements. */
    public long stride(int d) {
        return strides[d < 0 ? strides.length + d : d];
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /** Offset of element [0,…,0] in {@link #base()}, in elements. */
    public long offset() {
        return offset;
    }

    /** Row-major without gaps (the strides of size-1 dimensions do not matter). */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** The whole backing memory this tensor (maybe a view) lives in. */
    public MemorySegment base() {
        return base;
    }

    /** The bytes of a contiguous tensor, starting at its first element. */
    public MemorySegment segment() {
        requireContiguous("segment()");
        return base.asSlice(dtype.bytesFor(offset), dtype.bytesFor(elementCount()));
    }

    // ---- views ---------------------------------------------------------------------------------

    /** The same contiguous elements under another shape with the same element count. */
    public Tensor reshape(int... newShape) {
        requireContiguous("reshape");
        int[] dims = checkShape(dtype, newShape);
        if (elementCount(dims) != elementCount()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(dims));
        }
        return new Tensor(base, dtype, dims, contiguousStrides(dims), offset);
    }

    /** Elements {@code [start, start + length)} along dimension {@code d}. */
    public Tensor slice(int d, int start, int length) {
        int dd = d < 0 ? shape.length + d : d;
        Objects.checkFromIndexSize(start, length, shape[dd]);
        if (dd == shape.length - 1 && (start % dtype.blockSize() != 0 || length % dtype.blockSize() != 0)) {
            throw new IllegalArgumentException("cannot slice [" + start + ", " + (start + length) + ") of the last dimension of "
                    + this + ": " + dtype + " rows are cut only on whole blocks of " + dtype.blockSize() + " values");
        }
        int[] dims = shape.clone();
        dims[dd] = length;
        return new Tensor(base, dtype, dims, strides.clone(), offset + start * strides[dd]);
    }

    /** Index {@code index} of dimension {@code d}, which is dropped from the shape. */
    public Tensor select(int d, int index) {
        int dd = d < 0 ? shape.length + d : d;
        Objects.checkIndex(index, shape[dd]);
        if (dd == shape.length - 1 && dtype.isQuantized()) {
            throw new IllegalArgumentException("cannot select one element of the last dimension of " + this
                    + ": " + dtype + " rows are whole blocks of " + dtype.blockSize() + " values");
        }
        int[] dims = new int[shape.length - 1];
        long[] st = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != dd) {
                dims[j] = shape[i];
                st[j++] = strides[i];
            }
        }
        return new Tensor(base, dtype, dims, st, offset + index * strides[dd]);
    }

    // ---- elements (set-up, tests, references) -------------------------------------------------

    /** Element at {@code index} (one index per dimension), converted to float. */
    public float getFloat(int... index) {
        return readFloat(base, dtype, elementOffset(index));
    }

    /** Sets the element at {@code index} (F32, BF16 and F16 tensors). */
    public void setFloat(float value, int... index) {
        long at = elementOffset(index);
        switch (dtype) {
            case F32 -> base.set(F32_LE, at * 4, value);
            case BF16 -> base.set(I16_LE, at * 2, (short) (Float.floatToRawIntBits(value) >>> 16));
            case F16 -> base.set(I16_LE, at * 2, Float.floatToFloat16(value));
            default -> throw new UnsupportedOperationException("setFloat on " + dtype);
        }
    }

    /** Integer element at {@code index} (I32, I64). */
    public long getLong(int... index) {
        long at = elementOffset(index);
        return switch (dtype) {
            case I32 -> base.get(I32_LE, at * 4);
            case I64 -> base.get(I64_LE, at * 8);
            default -> throw new UnsupportedOperationException("getLong on " + dtype);
        };
    }

    /** Every element in row-major order, converted to float (copies; for tests and references). */
    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(elementCount())];
        if (dtype.isQuantized()) {
            decodeRows(out);
            return out;
        }
        int[] index = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = readFloat(base, dtype, elementOffset(index));
            increment(index);
        }
        return out;
    }

    /** Every element in row-major order as long (I32, I64 tensors). */
    public long[] toLongArray() {
        long[] out = new long[Math.toIntExact(elementCount())];
        int[] index = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(index);
            increment(index);
        }
        return out;
    }

    /** Copies {@code values} (row-major) into this F32 tensor. */
    public void copyFrom(float[] values) {
        if (values.length != elementCount()) {
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        }
        int[] index = new int[shape.length];
        for (float v : values) {
            setFloat(v, index);
            increment(index);
        }
    }

    /** Reads element {@code at} (in elements from the start of {@code segment}) as float. */
    public static float readFloat(MemorySegment segment, DType dtype, long at) {
        return switch (dtype) {
            case F32 -> segment.get(F32_LE, at * 4);
            case BF16 -> Float.intBitsToFloat(segment.get(I16_LE, at * 2) << 16);
            case F16 -> Float.float16ToFloat(segment.get(I16_LE, at * 2));
            case I32 -> segment.get(I32_LE, at * 4);
            case I64 -> segment.get(I64_LE, at * 8);
            case Q8_0, Q4_0, Q4_K, Q5_K, Q6_K -> BlockCodec.of(dtype).decode(segment, at);
        };
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + " " + dtype + (isContiguous() ? "" : " strided");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private long elementOffset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(index.length + " indices for a tensor of rank " + shape.length);
        }
        long at = offset;
        for (int i = 0; i < index.length; i++) {
            at += Objects.checkIndex(index[i], shape[i]) * strides[i];
        }
        return at;
    }

    /** Dequantises row by row: each row (the last dimension, stride 1) is whole blocks. */
    private void decodeRows(float[] out) {
        BlockCodec codec = BlockCodec.of(dtype);
        int rowLength = shape[shape.length - 1];
        if (rowLength == 0) {
            return;
        }
        int[] index = new int[shape.length];
        for (int o = 0; o < out.length; o += rowLength) {
            codec.decode(base, elementOffset(index), out, o, rowLength);
            index[shape.length - 1] = rowLength - 1;
            increment(index);
        }
    }

    private void increment(int[] index) {
        for (int d = index.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) {
                return;
            }
            index[d] = 0;
        }
    }

    private void requireContiguous(String what) {
        if (!isContiguous()) {
            throw new IllegalStateException(what + " needs a contiguous tensor, this is " + this);
        }
    }

    private static int[] checkShape(DType dtype, int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
        }
        if (dtype.isQuantized() && (shape.length == 0 || shape[shape.length - 1] % dtype.blockSize() != 0)) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + Arrays.toString(shape) + ": the last dimension"
                    + " must be a multiple of the block size " + dtype.blockSize() + " (rows are whole blocks)");
        }
        return shape.clone();
    }

    private static long elementCount(int[] dims) {
        long n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }

    private static long[] contiguousStrides(int[] dims) {
        long[] st = new long[dims.length];
        long s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(dims[i], 1);
        }
        return st;
    }
}
