package io.tttv2.integration.generation;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.DecoderRequest;
import io.tttv2.api.runner.EncodedInput;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.PrefillRequest;
import io.tttv2.api.tensor.Tensor;
import java.util.List;

/**
 * What the token loop needs of a model for one sequence: prefill tokens, decode one. A decoder-only LM does it
 * alone; an encoder–decoder does it against one request's encoded input.
 */
interface SequenceSteps {

    ModelInfo info();

    /** Prefills {@code tokens} at the end of {@code table}; the last one's logits [1, vocab] into {@code logits}. */
    void prefill(PagedKvCache cache, BlockTable table, int[] tokens, Tensor logits);

    /** One token for the sequence of {@code tables[0]}; logits [1, vocab]. */
    void decode(PagedKvCache cache, int[] token, BlockTable[] tables, Tensor logits);

    static SequenceSteps of(ModelRunner runner) {
        return new SequenceSteps() {
            @Override
            public ModelInfo info() {
                return runner.info();
            }

            @Override
            public void prefill(PagedKvCache cache, BlockTable table, int[] tokens, Tensor logits) {
                runner.prefill(cache, List.of(new PrefillRequest(tokens, table, null)), logits);
            }

            @Override
            public void decode(PagedKvCache cache, int[] token, BlockTable[] tables, Tensor logits) {
                runner.decode(cache, token, tables, logits);
            }
        };
    }

    static SequenceSteps of(EncoderDecoderRunner runner, EncodedInput encoded) {
        EncodedInput[] one = {encoded};
        return new SequenceSteps() {
            @Override
            public ModelInfo info() {
                return runner.info();
            }

            @Override
            public void prefill(PagedKvCache cache, BlockTable table, int[] tokens, Tensor logits) {
                runner.prefill(cache, List.of(new DecoderRequest(tokens, table, encoded, null)), logits);
            }

            @Override
            public void decode(PagedKvCache cache, int[] token, BlockTable[] tables, Tensor logits) {
                runner.decode(cache, token, tables, one, logits);
            }
        };
    }
}
