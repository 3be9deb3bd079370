package io.tttv2.core.modules.decoder;

import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.tensor.Tensor;

/**
 * The prefill or the decode entry point of each part, so that a residual pattern is written once as a
 * short script and runs in both passes. x, out [rows, hidden].
 */
interface PartCalls {

    void norm(Norm norm, Tensor x, Tensor out);

    void attention(Attention attention, Tensor x, Tensor out);

    void mlp(Mlp mlp, Tensor x, Tensor out);
}
