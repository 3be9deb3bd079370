package io.tttv2.integration.hf.safetensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One tensor of a safetensors file: its name, element type, shape (row-major, "C" order) and its bytes as a
 * zero-copy slice of the memory-mapped file. Nothing is read until the caller reads {@link #data()}; the
 * slice is valid until the file it came from is closed (afterwards any access throws
 * {@link IllegalStateException}).
 *
 * @param file  the file the tensor lives in (for error messages that name it)
 * @param name  the tensor's name in the header, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype its element type
 * @param shape its dimensions, outermost first; {@code []} for a scalar
 * @param data  its {@code product(shape) × dtype.byteSize()} bytes, little-endian, read-only
 */
@ProviderType
public record TensorEntry(Path file, String name, Dtype dtype, long[] shape, MemorySegment data) {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public TensorEntry {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
    }

    /** A copy of the shape: the entry stays immutable. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** One dimension, without copying the shape. */
    public long dim(int axis) {
        return shape[axis];
    }

    /** product(shape); 1 for a scalar. Cannot overflow: the header was validated with exact arithmetic. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The shape as HuggingFace prints it in errors: {@code [256, 64]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    /**
     * Checks the shape against what the model expects, typically derived from config.json.
     *
     * @param source   where the expectation comes from, for the message ({@code "config.json"})
     * @param expected the expected dimensions
     * @return this entry
     * @throws CheckpointFormatException {@code model.safetensors: tensor 'model.layers.3.mlp.up_proj.weight'
     *                                   expected shape [768, 256] from config.json, found [704, 256]}
     */
    public TensorEntry requireShape(String source, long... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new CheckpointFormatException(file + ": tensor '" + OneLine.quote(name) + "' expected shape "
                    + Arrays.toString(expected) + " from " + source + ", found " + shapeString());
        }
        return this;
    }

    /**
     * Checks the dtype is one the caller can compute with.
     *
     * @return this entry
     * @throws CheckpointFormatException {@code model.safetensors: tensor 'lm_head.weight' expected dtype F32 or
     *                                   BF16, found F8_E4M3}
     */
    public TensorEntry requireDtype(Dtype... supported) {
        for (Dtype d : supported) {
            if (d == dtype) {
                return this;
            }
        }
        String names = Arrays.stream(supported).map(Dtype::name).collect(Collectors.joining(", "));
        int last = names.lastIndexOf(", ");
        if (last >= 0) {
            names = names.substring(0, last) + " or " + names.substring(last + 2);
        }
        throw new CheckpointFormatException(file + ": tensor '" + OneLine.quote(name) + "' expected dtype " + names
                + ", found " + dtype);
    }

    /**
     * Copies the tensor into a new float array, widening F16 and BF16 exactly and decoding GGUF blocks. For tests, dumps and small
     * tensors; compute paths read {@link #data()} directly.
     *
     * @throws CheckpointFormatException if the dtype is not F32, F16 or BF16, or the tensor does not fit an array
     */
    public float[] toFloatArray() {
        int n = arrayLength();
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, F32, 0, out, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(data.getAtIndex(I16, i));
                }
            }
            case BF16 -> {
                // bfloat16 is the upper half of a float32: widening is a shift, exact for every value
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat(data.getAtIndex(I16, i) << 16);
                }
            }
            case Q8_0, Q4_0, Q4_K, Q5_K, Q6_K -> io.tttv2.api.tensor.BlockCodec.of(io.tttv2.api.tensor.DType.valueOf(
                    dtype.name())).decode(data, 0, out, 0, n);
            default -> throw new CheckpointFormatException(
                    file + ": tensor '" + name + "' expected dtype F32, F16 or BF16, found " + dtype);
        }
        return out;
    }

    /**
     * Copies an integer tensor into a new long array (token ids, positions), sign- or zero-extending as the
     * dtype says.
     *
     * @throws CheckpointFormatException if the dtype is not an integer type of at most 64 bits (U64 excluded:
     *                                   it does not fit a long), or the tensor does not fit an array
     */
    public long[] toLongArray() {
        int n = arrayLength();
        long[] out = new long[n];
        switch (dtype) {
            case I64 -> MemorySegment.copy(data, I64, 0, out, 0, n);
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.getAtIndex(I32, i);
                }
            }
            case U32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Integer.toUnsignedLong(data.getAtIndex(I32, i));
                }
            }
            case I16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.getAtIndex(I16, i);
                }
            }
            case U16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Short.toUnsignedLong(data.getAtIndex(I16, i));
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.get(ValueLayout.JAVA_BYTE, i);
                }
            }
            case U8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Byte.toUnsignedLong(data.get(ValueLayout.JAVA_BYTE, i));
                }
            }
            default -> throw new CheckpointFormatException(
                    file + ": tensor '" + name + "' expected an integer dtype (I64, I32, U32, I16, U16, I8, U8), found "
                            + dtype);
        }
        return out;
    }

    private int arrayLength() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new CheckpointFormatException(file + ": tensor '" + name + "' expected at most "
                    + (Integer.MAX_VALUE - 8) + " elements to copy into an array, found " + n);
        }
        return (int) n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorEntry e && file.equals(e.file) && name.equals(e.name) && dtype == e.dtype
                && Arrays.equals(shape, e.shape) && data.equals(e.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeString() + " (" + file.getFileName() + ")";
    }
}
