package io.tttv2.integration.generation;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Continues prompts with a model: encodes the prompt (with the tokenizer's special tokens, as HuggingFace
 * does by default), prefills it into a KV cache sized for the request, then samples token by token, streaming
 * text as it becomes final. One generation at a time (the runner is not thread-safe).
 */
@ProviderType
public final class Generator {

    private final ModelRunner runner;
    private final Tokenizer tokenizer;
    private final DecodeLoop loop;

    public Generator(ModelRunner runner, Tokenizer tokenizer) {
        this.runner = runner;
        this.tokenizer = tokenizer;
        this.loop = new DecodeLoop(runner);
    }

    /**
     * The prompt's tokens, checked against the model.
     *
     * @throws GenerationException for an empty prompt, a token outside the model's vocabulary or a prompt
     *                             longer than the model's context
     */
    public int[] encode(String prompt) {
        if (prompt.isEmpty()) {
            throw new GenerationException("the prompt is empty: expected text to continue");
        }
        int[] ids = tokenizer.encode(prompt, true).ids();
        PromptTokens.check(ids, runner.info(), "prompt");
        return ids;
    }

    /** Encodes {@code prompt} and continues it; see {@link #generate(int[], SamplingParams, Consumer)}. */
    public GenerationResult generate(String prompt, SamplingParams params, Consumer<String> sink) {
        return generate(encode(prompt), params, sink);
    }

    /**
     * Continues the prompt {@code promptIds}.
     *
     * @param sink receives the generated text piece by piece as it becomes final (never half a character,
     *             never text that may still turn out to begin a stop string)
     */
    public GenerationResult generate(int[] promptIds, SamplingParams params, Consumer<String> sink) {
        ModelInfo info = runner.info();
        PromptTokens.check(promptIds, info, "prompt");
        Sampler sampler = new Sampler(params, info.vocabSize());
        sampler.observePrompt(promptIds);
        int positions = (int) Math.min(KvCacheBudget.tokens(info), (long) promptIds.length + params.maxNewTokens());
        int blockSize = KvCacheSpec.DEFAULT_BLOCK_SIZE;
        try (PagedKvCache cache = runner.allocateKvCache(KvCacheBudget.blocks(positions, blockSize), blockSize)) {
            BlockTable table = cache.newSequence();
            long start = System.nanoTime();
            loop.prefill(cache, table, promptIds);
            long prefillNanos = System.nanoTime() - start;
            DecodeLoop.Outcome outcome = loop.decode(cache, table, sampler, params.maxNewTokens(),
                    PromptTokens.stopTokenIds(params, info), PromptTokens.primedDecoder(tokenizer, promptIds),
                    new StopStrings(params.stopStrings()), sink);
            GenerationStats stats = new GenerationStats(promptIds.length, 0, outcome.generated().length, prefillNanos,
                    outcome.fed(), outcome.nanos());
            return new GenerationResult(promptIds, outcome.generated(), outcome.text(), outcome.reason(),
                    seedOf(sampler), stats);
        }
    }

    /** The seed a result reports: the sampler's when it sampled, none for greedy decoding. */
    static OptionalLong seedOf(Sampler sampler) {
        return sampler.params().greedy() ? OptionalLong.empty() : OptionalLong.of(sampler.seed());
    }
}
