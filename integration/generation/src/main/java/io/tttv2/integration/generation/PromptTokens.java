package io.tttv2.integration.generation;

import io.tttv2.api.runner.ModelInfo;
import io.tttv2.integration.tokenizers.StreamingDecoder;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.util.LinkedHashSet;
import java.util.Set;

/** Checks shared by prompts and conversations: what the model can take, and what ends its output. */
final class PromptTokens {

    private PromptTokens() {
    }

    /**
     * @param what names the input in messages: {@code prompt}, {@code conversation}
     * @throws GenerationException if there are no tokens, a token the model does not have, or more tokens than
     *                             its context
     */
    static void check(int[] ids, ModelInfo info, String what) {
        if (ids.length == 0) {
            throw new GenerationException("the " + what + " encodes to no tokens: expected at least one");
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= info.vocabSize()) {
                throw new GenerationException("the " + what + "'s token " + i + " is id " + ids[i]
                        + ", outside the model's vocabulary of " + info.vocabSize()
                        + " (the tokenizer does not belong to this model)");
            }
        }
        if (ids.length > info.maxSequenceLength()) {
            throw new GenerationException("the " + what + " is " + ids.length + " tokens long, longer than the model's context of "
                    + info.maxSequenceLength() + " tokens");
        }
        int budget = KvCacheBudget.tokens(info);
        if (ids.length > budget) {
            throw new GenerationException("the " + what + " is " + ids.length + " tokens long, more than the "
                    + (KvCacheBudget.MAX_BYTES >> 30) + " GiB KV cache limit holds for this model (" + budget + " tokens)");
        }
    }

    /** The tokens that end generation: those of the sampling parameters and the model's EOS ids. */
    static int[] stopTokenIds(SamplingParams params, ModelInfo info) {
        Set<Integer> ids = new LinkedHashSet<>(params.stopTokenIds());
        ids.addAll(info.eosTokenIds());
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A streaming decoder that has seen the prompt, so the first generated piece is spaced as in context. */
    static StreamingDecoder primedDecoder(Tokenizer tokenizer, int[] promptIds) {
        StreamingDecoder decoder = tokenizer.streamingDecoder(true);
        for (int id : promptIds) {
            decoder.next(id);
        }
        return decoder;
    }
}
