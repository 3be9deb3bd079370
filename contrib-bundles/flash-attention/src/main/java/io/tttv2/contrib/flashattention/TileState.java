package io.tttv2.contrib.flashattention;

import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One worker's buffers for one query tile: the tile's queries (pre-scaled), their online-softmax state,
 * and the run of keys and values being folded in. Sized once, when the backend is built, for the largest
 * tile its spec can produce; every call reuses them, so prefill and decode allocate nothing.
 */
final class TileState {

    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final float[] q;                    // [queries, D]: query (row i, head h) at (i · group + h) · D, times scale
    final OnlineSoftmax softmax;
    final KvBlockTile kv;

    /** Room for {@code queries} (tokens × query heads of one KV head) of {@code headDim}, {@code keys} keys at a time. */
    TileState(int queries, int headDim, int keys) {
        this.q = new float[queries * headDim];
        this.softmax = new OnlineSoftmax(queries, headDim, keys);
        this.kv = new KvBlockTile(keys, headDim);
    }

    /** Reads heads {@code h0 .. h0+group-1} of q's rows {@code firstRow ..} (count rows), scaled. q [T, heads, D] F32. */
    void begin(Tensor q, int firstRow, int count, int h0, int group, int headDim, float scale) {
        softmax.reset(count * group);
        MemorySegment base = q.base();
        for (int i = 0; i < count; i++) {
            for (int h = 0; h < group; h++) {
                long at = q.offset() + (firstRow + i) * q.stride(0) + (h0 + h) * q.stride(1);
                int dst = (i * group + h) * headDim;
                if (q.stride(2) == 1) {
                    MemorySegment.copy(base, F32_LE, at * 4, this.q, dst, headDim);
                } else {
                    for (int d = 0; d < headDim; d++) {
                        this.q[dst + d] = base.getAtIndex(F32_LE, at + d * q.stride(2));
                    }
                }
                for (int d = 0; d < headDim; d++) {
                    this.q[dst + d] *= scale;
                }
            }
        }
    }

    /** Writes every query's normalised output to out's rows {@code firstRow ..}, heads {@code h0 ..}. out F32. */
    void finish(Tensor out, int firstRow, int count, int h0, int group, int headDim) {
        MemorySegment base = out.base();
        float[] row = softmax.rowBuffer();
        for (int i = 0; i < count; i++) {
            for (int h = 0; h < group; h++) {
                softmax.normalisedInto(i * group + h, row);
                long at = out.offset() + (firstRow + i) * out.stride(0) + (h0 + h) * out.stride(1);
                if (out.stride(2) == 1) {
                    MemorySegment.copy(row, 0, base, F32_LE, at * 4, headDim);
                } else {
                    for (int d = 0; d < headDim; d++) {
                        base.setAtIndex(F32_LE, at + d * out.stride(2), row[d]);
                    }
                }
            }
        }
    }
}
