package io.tttv2.testing.reference;

import io.tttv2.api.modules.RelativePositionBiasSpec;
import io.tttv2.api.modules.Weights;

/**
 * T5's relative-position bias, written from HF's {@code T5Attention._relative_position_bucket} and
 * {@code compute_bias}:
 *
 * <pre>
 * n = key − query
 * bidirectional:  buckets /= 2; bucket = (n > 0 ? buckets : 0); n = |n|
 * unidirectional: bucket = 0; n = max(−n, 0)
 * exact = buckets / 2
 * bucket += n &lt; exact ? n : min(exact + int(log(n / exact) / log(maxDistance / exact) · (buckets − exact)), buckets − 1)
 * bias[h, i, j] = weight[bucket(j − (start + i)), h]
 * </pre>
 *
 * The log is evaluated in float32 as HF does: the bucket is an index, and a float64 log would move a distance
 * sitting on a bucket edge into the next bucket, which HF does not.
 */
public final class RelativePositionBiasReference {

    private final RelativePositionBiasSpec spec;
    private final float[] weight;       // [numBuckets, heads]

    public RelativePositionBiasReference(RelativePositionBiasSpec spec, Weights weights) {
        this.spec = spec;
        this.weight = WeightValues.read(weights, "weight", "relative position bias", spec.numBuckets(), spec.heads());
    }

    public RelativePositionBiasSpec spec() {
        return spec;
    }

    /** The bucket of distance {@code relative = key − query}. */
    public int bucket(int relative) {
        int buckets = spec.numBuckets();
        int bucket = 0;
        long n;
        if (spec.bidirectional()) {
            buckets /= 2;
            bucket = relative > 0 ? buckets : 0;
            n = Math.abs((long) relative);
        } else {
            n = Math.max(-(long) relative, 0);
        }
        int exact = buckets / 2;
        if (n < exact) {
            return bucket + (int) n;
        }
        float logRatio = (float) Math.log((float) n / (float) exact);
        float logMax = (float) Math.log((double) spec.maxDistance() / exact);
        long large = exact + (long) (logRatio / logMax * (float) (buckets - exact));
        return bucket + (int) Math.min(large, buckets - 1);
    }

    /** → [heads, queries, keys]. */
    public double[] compute(int queryStart, int queries, int keys) {
        int heads = spec.heads();
        double[] out = new double[heads * queries * keys];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < queries; i++) {
                for (int j = 0; j < keys; j++) {
                    out[(h * queries + i) * keys + j] = weight[bucket(j - (queryStart + i)) * heads + h];
                }
            }
        }
        return out;
    }
}
