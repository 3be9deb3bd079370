package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/** One decoder layer; {@code out} may be {@code x}. */
@ConsumerType
public interface DecoderLayer extends Module {

    /** x, out [T, hidden] for one sequence. */
    void prefill(Tensor x, PrefillStep step, Tensor out);

    /** x, out [B, hidden], one token per sequence. */
    void decode(Tensor x, DecodeStep step, Tensor out);
}
