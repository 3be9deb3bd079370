package io.tttv2.core.modules.position;

import io.tttv2.api.modules.RelativePositionBiasSpec;

/**
 * T5's bucket of a relative position {@code key − query} (HF's {@code T5Attention._relative_position_bucket}).
 * Bidirectional: half the buckets for keys after the query; within a half, distances below {@code exact}
 * (a quarter of the buckets) have one bucket each, longer ones share log-spaced buckets up to
 * {@code maxDistance}. Unidirectional: keys after the query fall in bucket 0 (a causal mask hides them).
 * The log is taken in float32, as HF computes it, so that a distance at a bucket edge truncates the same way.
 */
final class RelativePositionBuckets {

    private RelativePositionBuckets() {
    }

    static int of(RelativePositionBiasSpec spec, int relative) {
        int buckets = spec.numBuckets();
        int bucket = 0;
        int n;
        if (spec.bidirectional()) {
            buckets /= 2;
            if (relative > 0) {
                bucket += buckets;
            }
            n = Math.abs(relative);
        } else {
            n = -Math.min(relative, 0);
        }
        int exact = buckets / 2;
        if (n < exact) {
            return bucket + n;
        }
        float scaled = (float) Math.log((float) n / exact) / (float) Math.log((double) spec.maxDistance() / exact)
                * (buckets - exact);
        return bucket + Math.min(exact + (int) scaled, buckets - 1);
    }
}
