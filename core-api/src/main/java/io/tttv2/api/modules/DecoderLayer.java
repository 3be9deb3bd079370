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

    /**
     * A mixed batch: x, out [rows, hidden], the rows of prompt chunks and decode tokens of several sequences
     * (see {@link MixedStep}). This default runs each sequence's run of rows as a prefill of its own, correct
     * but without sharing the weight reads.
     */
    default void step(Tensor x, MixedStep step, Tensor out) {
        for (int r = 0; r < step.rows(); ) {
            int end = step.runEnd(r);
            prefill(x.slice(0, r, end - r), new PrefillStep(step.cache(), step.tables()[r], step.positions()[r]),
                    out.slice(0, r, end - r));
            r = end;
        }
    }
}
