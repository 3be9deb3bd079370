package io.tttv2.api.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.IntStream;

/** Float tensors made block-quantised, as weights are at load ({@code --quantize q8_0|q4_0}). */
public final class Quantization {

    private Quantization() {
    }

    /**
     * A contiguous copy of {@code source} (F32, BF16 or F16, any layout) in {@code target} (a type whose
     * {@link BlockCodec#canEncode() codec encodes}: Q8_0, Q4_0), rounded as ggml's reference quantiser rounds.
     * Rows are quantised in parallel (the common pool); the copy lives in an automatic arena.
     *
     * @throws IllegalArgumentException if the last dimension is not a whole number of blocks (the message
     *         gives the shape, the row length and the block size; callers add the tensor's name), or the
     *         types do not fit
     */
    public static Tensor quantize(Tensor source, DType target) {
        if (!target.isQuantized() || !BlockCodec.of(target).canEncode()) {
            throw new IllegalArgumentException("cannot quantise to " + target + ": expected Q8_0 or Q4_0");
        }
        if (source.dtype().isQuantized() || !source.dtype().isFloating()) {
            throw new IllegalArgumentException("cannot quantise a " + source.dtype() + " tensor: expected F32, BF16 or F16");
        }
        int[] shape = source.shape();
        int width = shape.length == 0 ? 1 : shape[shape.length - 1];
        if (width % target.blockSize() != 0) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + ": rows of " + width
                    + " values are not a whole number of " + target + " blocks of " + target.blockSize());
        }
        Tensor out = Tensor.allocate(Arena.ofAuto(), target, shape);
        BlockCodec codec = BlockCodec.of(target);
        MemorySegment dst = out.segment();
        if (!source.isContiguous()) {
            // a strided view (a part of a fused tensor is a contiguous slice; this is rare): element by element
            float[] all = source.toFloatArray();
            codec.encode(all, 0, all.length, dst, 0);
            return out;
        }
        int count = rowCount(shape);
        Tensor rows = source.reshape(count, width);   // [rows, width]
        IntStream.range(0, count).parallel().forEach(r -> {
            float[] row = new float[width];
            readRow(rows, r, row);
            codec.encode(row, 0, width, dst, (long) r * width);
        });
        return out;
    }

    private static int rowCount(int[] shape) {
        long n = 1;
        for (int d = 0; d < shape.length - 1; d++) {
            n *= shape[d];
        }
        return Math.toIntExact(n);
    }

    /** Row r of a contiguous [rows, width] float tensor into {@code row}, read straight from memory. */
    private static void readRow(Tensor rows, int r, float[] row) {
        MemorySegment base = rows.base();
        long at = rows.offset() + (long) r * row.length;
        switch (rows.dtype()) {
            case F32 -> MemorySegment.copy(base, Tensor.F32_LE, at * 4, row, 0, row.length);
            case BF16 -> {
                for (int i = 0; i < row.length; i++) {
                    row[i] = Float.intBitsToFloat(base.get(Tensor.I16_LE, (at + i) * 2) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < row.length; i++) {
                    row[i] = Float.float16ToFloat(base.get(Tensor.I16_LE, (at + i) * 2));
                }
            }
            default -> throw new IllegalArgumentException("cannot quantise a " + rows.dtype() + " tensor");
        }
    }
}
