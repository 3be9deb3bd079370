package io.tttv2.integration.generation;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.EncodedInput;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Generates with an encoder–decoder (T5): encodes the prompt (with the tokenizer's special tokens, as HF does),
 * runs the encoder once, then decodes from the decoder start token, sampling token by token and streaming the
 * text as it becomes final, as {@link Generator} does for decoder-only LMs. One generation at a time.
 */
@ProviderType
public final class Seq2SeqGenerator {

    private final EncoderDecoderRunner runner;
    private final Tokenizer tokenizer;

    public Seq2SeqGenerator(EncoderDecoderRunner runner, Tokenizer tokenizer) {
        this.runner = runner;
        this.tokenizer = tokenizer;
    }

    /**
     * The prompt's tokens, checked against the model.
     *
     * @throws GenerationException for an empty prompt or a token outside the model's vocabulary
     */
    public int[] encode(String prompt) {
        if (prompt.isEmpty()) {
            throw new GenerationException("the prompt is empty: expected text to transform");
        }
        int[] ids = tokenizer.encode(prompt, true).ids();
        PromptTokens.check(ids, runner.info(), "prompt");
        return ids;
    }

    /**
     * Encodes {@code promptIds} and generates the decoder's text.
     *
     * @param sink receives the generated text piece by piece as it becomes final
     */
    public GenerationResult generate(int[] promptIds, SamplingParams params, Consumer<String> sink) {
        ModelInfo info = runner.info();
        PromptTokens.check(promptIds, info, "prompt");
        long start = System.nanoTime();
        EncodedInput encoded;
        try {
            encoded = runner.encode(promptIds, null);
        } catch (IllegalArgumentException e) {
            throw new GenerationException(e.getMessage());
        }
        try (encoded) {
            int[] decoderStart = {runner.decoderStartTokenId()};
            Sampler sampler = new Sampler(params, info.vocabSize());
            sampler.observePrompt(decoderStart);       // HF's logits processors see the decoder's ids, not the encoder's
            int positions = (int) Math.min(KvCacheBudget.tokens(info), 1L + params.maxNewTokens());
            int blockSize = KvCacheSpec.DEFAULT_BLOCK_SIZE;
            DecodeLoop loop = new DecodeLoop(SequenceSteps.of(runner, encoded));
            try (PagedKvCache cache = runner.allocateKvCache(KvCacheBudget.blocks(positions, blockSize), blockSize)) {
                BlockTable table = cache.newSequence();
                loop.prefill(cache, table, decoderStart);
                long prefillNanos = System.nanoTime() - start;       // the encoder and the start token
                DecodeLoop.Outcome outcome = loop.decode(cache, table, sampler, params.maxNewTokens(),
                        PromptTokens.stopTokenIds(params, info), tokenizer.streamingDecoder(true),
                        new StopStrings(params.stopStrings()), sink);
                GenerationStats stats = new GenerationStats(promptIds.length, 0, outcome.generated().length, prefillNanos,
                        outcome.fed(), outcome.nanos());
                return new GenerationResult(promptIds, outcome.generated(), outcome.text(), outcome.reason(),
                        Generator.seedOf(sampler), stats);
            }
        }
    }
}
