package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/** The router of a mixture-of-experts layer: which experts each token goes to, and with which weights. */
@ConsumerType
public interface Router extends Module {

    /**
     * Routes T tokens: x [T, hidden]. Token t goes to experts {@code experts[t·k .. t·k+k-1]} with weights
     * {@code weights[t·k .. t·k+k-1]} (k the spec's topK, the experts distinct, in no promised order).
     * Both arrays need room for T·k entries.
     */
    void route(Tensor x, int[] experts, float[] weights);
}
