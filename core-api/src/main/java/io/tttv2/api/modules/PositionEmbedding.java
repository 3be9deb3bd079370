package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/** Learned absolute positions (GPT-2's {@code wpe}): adds the row of each token's position to its hidden state. */
@ConsumerType
public interface PositionEmbedding extends Module {

    /** x [T, hidden], one sequence at positions {@code start .. start+T-1}: {@code x[t] += weight[start + t]}. */
    void prefill(Tensor x, int start);

    /** x [B, hidden], row b at {@code positions[b]}: {@code x[b] += weight[positions[b]]}. */
    void decode(Tensor x, int[] positions);
}
