package io.tttv2.contrib.flashattention;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The running state of the online softmax for a set of queries (Milakov &amp; Gimelshein 2018; the inner loop
 * of FlashAttention): per query the largest score seen {@code m}, the sum of {@code exp(s - m)} so far
 * {@code l}, and the unnormalised output {@code acc} [D]. Folding in a block of keys rescales the state by
 * {@code exp(m_old - m_new)} once, then adds the block's terms; the output is {@code acc / l} at the end.
 */
final class OnlineSoftmax {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final int headDim;
    private final float[] max;      // [queries]
    private final float[] sum;      // [queries]
    private final float[] acc;      // [queries, D]
    private final float[] scores;   // [keys] of one KV tile: scores, then their weights
    private final float[] row;      // [D] an output row

    /** State for up to {@code queries} queries of {@code headDim}, folding up to {@code keys} keys at a time. */
    OnlineSoftmax(int queries, int headDim, int keys) {
        this.headDim = headDim;
        this.max = new float[queries];
        this.sum = new float[queries];
        this.acc = new float[queries * headDim];
        this.scores = new float[keys];
        this.row = new float[headDim];
    }

    /** Empty state for the first {@code queries} queries. */
    void reset(int queries) {
        Arrays.fill(max, 0, queries, Float.NEGATIVE_INFINITY);
        Arrays.fill(sum, 0, queries, 0f);
        Arrays.fill(acc, 0, queries * headDim, 0f);
    }

    /**
     * Folds keys {@code first .. first+count-1} of {@code kv} into query {@code query}, whose (scaled)
     * vector is at {@code q[query · D]}; count ≤ the keys given at construction. softcap 0 for none.
     */
    void fold(int query, float[] q, KvBlockTile kv, int first, int count, float softcap) {
        int qo = query * headDim;
        float blockMax = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < count; j++) {
            float s = dot(q, qo, kv.k, (first + j) * headDim, headDim);
            if (softcap > 0) {
                s = (float) (softcap * Math.tanh(s / softcap));
            }
            scores[j] = s;
            blockMax = Math.max(blockMax, s);
        }
        float oldMax = max[query];
        float newMax = Math.max(oldMax, blockMax);
        int ao = query * headDim;
        if (newMax > oldMax && oldMax != Float.NEGATIVE_INFINITY) {
            float correction = (float) Math.exp(oldMax - newMax);
            sum[query] *= correction;
            scale(acc, ao, headDim, correction);
        }
        float added = 0;
        for (int j = 0; j < count; j++) {
            float p = (float) Math.exp(scores[j] - newMax);
            added += p;
            axpy(p, kv.v, (first + j) * headDim, acc, ao, headDim);
        }
        sum[query] += added;
        max[query] = newMax;
    }

    /** A scratch row of at least D elements, for {@link #normalisedInto}. */
    float[] rowBuffer() {
        return row;
    }

    /** Query {@code query}'s output {@code acc / l} into {@code out[0 .. D)}; zeros if it saw no key. */
    void normalisedInto(int query, float[] out) {
        float l = sum[query];
        float inv = l > 0 ? 1f / l : 0f;
        int ao = query * headDim;
        for (int d = 0; d < headDim; d++) {
            out[d] = acc[ao + d] * inv;
        }
    }

    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        FloatVector s = FloatVector.zero(S);
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            s = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), s);
        }
        float r = s.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            r += a[ao + i] * b[bo + i];
        }
        return r;
    }

    /** y += a · x over n elements. */
    private static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        FloatVector av = FloatVector.broadcast(S, a);
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i).fma(av, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += a * x[xo + i];
        }
    }

    private static void scale(float[] y, int yo, int n, float c) {
        for (int i = 0; i < n; i++) {
            y[yo + i] *= c;
        }
    }
}
