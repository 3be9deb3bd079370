package io.tttv2.core.modules.position;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.RelativePositionBias;
import io.tttv2.api.modules.RelativePositionBiasSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * T5's relative-position bias (HF's {@code T5Attention.compute_bias}): out[h, i, j] = weight[bucket(j − (start
 * + i)), h]. The table [numBuckets, heads] is widened to F32 once; a call looks each distinct distance's bucket
 * up once (a row of the output differs from the next only by a shift) and writes the rows head by head.
 */
public final class BucketedRelativePositionBias implements RelativePositionBias {

    private static final String MODULE = "relative position bias";
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final RelativePositionBiasSpec spec;
    private final ModuleConfig config;
    private final float[] table;        // [numBuckets, heads]

    public BucketedRelativePositionBias(RelativePositionBiasSpec spec, ModuleConfig config, Weights weights,
                                        Device device) {
        this.spec = spec;
        this.config = config;
        Tensor w = ModuleWeights.matrix(weights, "weight", MODULE, spec.numBuckets(), spec.heads());
        Tensor f32 = Tensor.allocate(Arena.ofAuto(), DType.F32, spec.numBuckets(), spec.heads());
        device.ops().copy(w, f32);
        this.table = f32.toFloatArray();
    }

    @Override
    public void compute(int queryStart, int queries, int keys, Tensor out) {
        if (queryStart < 0 || queries <= 0 || keys <= 0) {
            throw new IllegalArgumentException(MODULE + ": queries " + queries + " from position " + queryStart
                    + " against " + keys + " keys, expected a start ≥ 0 and positive counts");
        }
        int heads = spec.heads();
        if (out.rank() != 3 || out.dim(0) != heads || out.dim(1) != queries || out.dim(2) != keys
                || out.dtype() != DType.F32 || !out.isContiguous()) {
            throw new IllegalArgumentException(MODULE + ": output is " + out + ", expected a contiguous F32 ["
                    + heads + ", " + queries + ", " + keys + "]");
        }
        // distances j − p run from −(queryStart + queries − 1) to keys − 1: one bucket per distance
        int lowest = -(queryStart + queries - 1);
        int[] bucketOf = new int[keys - lowest];
        for (int r = 0; r < bucketOf.length; r++) {
            bucketOf[r] = RelativePositionBuckets.of(spec, lowest + r);
        }
        MemorySegment o = out.segment();
        long at = 0;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < queries; i++) {
                int shift = -(queryStart + i) - lowest;                  // index of distance j − p for j = 0
                for (int j = 0; j < keys; j++) {
                    o.set(F32_LE, at++ * 4, table[bucketOf[shift + j] * heads + h]);
                }
            }
        }
    }

    @Override
    public String candidate() {
        return BucketedRelativePositionBiasFactory.NAME;
    }

    @Override
    public RelativePositionBiasSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
