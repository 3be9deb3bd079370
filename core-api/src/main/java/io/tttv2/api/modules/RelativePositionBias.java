package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The additive attention bias of T5's relative positions, computed once per layer stack and passed to each
 * layer's attention (as HF's first layer computes {@code position_bias} and the later ones reuse it).
 */
@ConsumerType
public interface RelativePositionBias extends Module {

    /**
     * out [heads, queries, keys] F32, contiguous: the bias of queries at positions {@code queryStart ..
     * queryStart+queries-1} against keys at positions {@code 0 .. keys-1}. An encoder asks for
     * {@code (0, T, T)}; a decoder's prefill for {@code (0, T, T)}, its decode step at position p for
     * {@code (p, 1, p + 1)}.
     */
    void compute(int queryStart, int queries, int keys, Tensor out);
}
