package io.tttv2.api.ops;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The op library: everything modules compute with. Activations are F32 and contiguous; weights may be
 * F32, BF16 or F16 and are read in their own dtype. Every op writes into a caller-provided {@code out}
 * (so the decode path allocates nothing); {@code out} may be the same tensor as an element-wise input.
 * Shapes use T tokens, B sequences, H hidden, V vocabulary, D head dim.
 */
@ConsumerType
public interface Ops {

    /** {@code out = x · wᵀ (+ bias)}: x [M, K] F32, w [N, K] any float dtype, bias [N] F32 or null, out [M, N]. */
    void matmul(Tensor x, Tensor w, Tensor bias, Tensor out);

    /**
     * {@link #matmul(Tensor, Tensor, Tensor, Tensor)} with the work over N split into {@code splitPerWorker}
     * chunks per worker (a module's {@code io.tttv2.api.modules.ModuleConfig#matmulSplit}): fewer, larger chunks
     * stream longer runs of w per claim; more, smaller ones balance workers that are descheduled. Devices that
     * split otherwise (a BLAS call) ignore it.
     */
    default void matmul(Tensor x, Tensor w, Tensor bias, Tensor out, int splitPerWorker) {
        matmul(x, w, bias, out);
    }

    /**
     * Several matmuls of one x as one op: {@code out[i] = x · w[i]ᵀ (+ bias[i])} for each i, x [M, K], w[i] [N_i, K],
     * bias[i] [N_i] or null, out[i] [M, N_i] (a fused q/k/v or gate/up projection over weights kept apart, so
     * nothing is copied). A device may run them as one dispatch over the N_i together, entering its workers once;
     * each out[i] must equal {@link #matmul(Tensor, Tensor, Tensor, Tensor, int)} of its own operands bit for bit.
     * The default runs them one after another.
     */
    default void matmulGroup(Tensor x, Tensor[] w, Tensor[] bias, Tensor[] out, int splitPerWorker) {
        for (int i = 0; i < w.length; i++) {
            matmul(x, w[i], bias[i], out[i], splitPerWorker);
        }
    }

    /**
     * RMSNorm over the last dim: {@code out = x / sqrt(mean(x²) + eps) · (weightOffset + w)}.
     * x, out [M, H]; weight [H]. weightOffset is 0, or 1 for Gemma's {@code (1 + w)}.
     */
    void rmsNorm(Tensor x, Tensor weight, float eps, float weightOffset, Tensor out);

    /** LayerNorm over the last dim: x, out [M, H]; weight [H]; bias [H] or null. */
    void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out);

    /** Softmax over the last dim: x, out [M, N]. */
    void softmax(Tensor x, Tensor out);

    /**
     * Rotary position embedding of the first {@code 2·cos.dim(1)} elements of every head.
     * x, out [T, heads, D]; cos, sin [maxPositions, rotaryDim/2]; positions [T] (row t is at positions[t]).
     */
    void rotary(Tensor x, Tensor cos, Tensor sin, int[] positions, RotaryStyle style, Tensor out);

    /** out = act(x), element-wise. */
    void activation(Activation act, Tensor x, Tensor out);

    /** out = act(gate) · up, element-wise (SwiGLU, GeGLU). */
    void gatedActivation(Activation act, Tensor gate, Tensor up, Tensor out);

    /** out = a + b, element-wise (same shapes). */
    void add(Tensor a, Tensor b, Tensor out);

    /** out = a · b, element-wise (same shapes). */
    void mul(Tensor a, Tensor b, Tensor out);

    /** out = x · s. */
    void scale(Tensor x, float s, Tensor out);

    /** out = cap · tanh(x / cap). */
    void softcap(Tensor x, float cap, Tensor out);

    /** Copies src into dst (same shape), converting between float dtypes; either may be strided. */
    void copy(Tensor src, Tensor dst);

    /** Gathers rows: table [V, H] any float dtype; out [ids.length, H] F32. */
    void embedding(Tensor table, int[] ids, Tensor out);

    /**
     * Writes keys and values of T consecutive tokens of one sequence at positions
     * {@code start .. start+T-1} into the cache's blocks for {@code layer}: k [T, kvHeads, keyDim],
     * v [T, kvHeads, valueDim], or v null when the cache stores no values (a latent cache: k is the whole entry).
     * The table must have room ({@link BlockTable#reserve}).
     */
    void writeKv(PagedKvCache cache, int layer, BlockTable table, int start, Tensor k, Tensor v);

    /**
     * Attention of T queries of one sequence at positions {@code start .. start+T-1} against the
     * sequence's cached keys and values (already written, positions {@code 0 .. start+T-1}).
     * q [T, heads, keyDim], out [T, heads, Dv]; heads a multiple of the cache's kvHeads (GQA/MQA). Dv is the
     * cache's valueDim, or, for a cache that stores no values, at most keyDim: each value is then the first Dv
     * elements of its key entry (absorbed multi-head latent attention).
     */
    void attentionPrefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start,
                          AttentionParams params, Tensor out);

    /**
     * {@link #attentionPrefill(Tensor, PagedKvCache, int, BlockTable, int, AttentionParams, Tensor)} with an
     * additive score bias (T5's decoder: relative positions, no rotary): the score of query t and key j is
     * {@code scale · q·k} (soft-capped when set) {@code + bias[h, t, j]}. bias [heads, T, start+T] F32, or null
     * for none. A decode step at position p is this with T = 1, start = p.
     */
    void attentionPrefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start,
                          AttentionParams params, Tensor bias, Tensor out);

    /**
     * Attention of one query per sequence: row b of q is sequence b's token at {@code positions[b]},
     * its keys and values already written. q [B, heads, keyDim], out [B, heads, Dv] as for
     * {@link #attentionPrefill}; tables [B]. Rows may belong to one sequence (the same table at consecutive
     * positions: the rows of a prompt chunk in a mixed step); each row sees its sequence's positions
     * {@code 0 .. positions[b]}.
     */
    void attentionDecode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions,
                         AttentionParams params, Tensor out);

    /**
     * Attention over keys and values held in tensors rather than the paged cache: an encoder over a padded
     * batch (BERT, T5's encoder), a decoder's cross-attention over the encoder's output. For batch row b,
     * query i, head h and key j: {@code s = scale · q·k} (soft-capped when {@code params.softcap} is set),
     * plus {@code bias[h, i, j]} when given (T5's relative positions); keys whose flag in {@code keyMask} is
     * false are not seen (padding); causal: a query sees {@code j ≤ i + Tk − Tq}; a window keeps {@code j >
     * i + Tk − Tq − window}. A query that sees no key gets zeros.
     *
     * <p>q, out [B, Tq, heads, D]; k, v [B, Tk, kvHeads, D] F32 (heads a multiple of kvHeads); keyMask
     * B·Tk flags, row-major, or null for every key; bias [heads, Tq, Tk] F32 or null.
     */
    void attention(Tensor q, Tensor k, Tensor v, boolean[] keyMask, Tensor bias, AttentionParams params, Tensor out);

    /** Index of the largest element of each row: logits [B, V]; out [B]. */
    void argmax(Tensor logits, int[] out);

    /**
     * The k largest elements of a row, largest first: row [V]; indices, values of length ≥ k.
     * Ties go to the lower index.
     */
    void topK(Tensor row, int k, int[] indices, float[] values);
}
