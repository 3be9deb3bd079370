package io.tttv2.integration.hf.gguf;

import java.util.Arrays;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One tensor info of a GGUF file.
 *
 * @param name   the GGUF name, e.g. {@code blk.0.attn_q.weight}
 * @param dims   ggml's {@code ne}: innermost (contiguous) dimension first — a HF {@code [out, in]} matrix is
 *               {@code [in, out]} here
 * @param type   its storage type
 * @param offset where its data starts, relative to the data section
 * @param bytes  how many bytes it takes
 */
@ProviderType
public record GgufTensorInfo(String name, long[] dims, GgmlType type, long offset, long bytes) {

    public GgufTensorInfo {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** The shape as HuggingFace writes it: outermost first ({@code dims} reversed). */
    public long[] hfShape() {
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = dims[dims.length - 1 - i];
        }
        return shape;
    }

    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && Arrays.equals(dims, t.dims) && type == t.type
                && offset == t.offset && bytes == t.bytes;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims);
    }
}
