package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/** Token embedding. */
@ConsumerType
public interface Embedding extends Module {

    /** The table [vocab, hidden], for tied LM heads. */
    Tensor table();

    /** ids [T]; out [T, hidden]. */
    void prefill(int[] ids, Tensor out);

    /** ids [B]; out [B, hidden]. */
    void decode(int[] ids, Tensor out);
}
