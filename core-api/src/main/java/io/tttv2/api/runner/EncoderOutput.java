package io.tttv2.api.runner;

import io.tttv2.api.tensor.Tensor;
import java.util.List;

/**
 * What an encoder returns for a batch (HF's names). Padded positions hold what HF computes there too.
 *
 * @param lastHiddenState [B, T, hidden] the last layer's output
 * @param hiddenStates    L+1 tensors [B, T, hidden]: the embedding output, then each layer's output; empty unless asked
 * @param pooled          [B, hidden] the pooler's output (dense + tanh on the first token), or null without a pooler
 * @param logits          [B, T, vocab] a masked-language-model head's scores (BertForMaskedLM), or null without one
 */
public record EncoderOutput(Tensor lastHiddenState, List<Tensor> hiddenStates, Tensor pooled, Tensor logits) {

    public EncoderOutput {
        hiddenStates = List.copyOf(hiddenStates);
    }
}
