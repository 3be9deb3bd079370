package io.tttv2.integration.hf.safetensors;

/**
 * One tensor as its header entry describes it, validated: {@code [begin, end)} are byte offsets into the data
 * area (the bytes after the 8-byte length and the header), and {@code end − begin == product(shape) × dtype size}.
 */
record TensorSlot(String name, Dtype dtype, long[] shape, long begin, long end) {
}
