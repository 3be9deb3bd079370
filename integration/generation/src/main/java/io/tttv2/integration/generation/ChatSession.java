package io.tttv2.integration.generation;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.integration.tokenizers.ChatMessage;
import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A conversation with a model that keeps its KV cache from turn to turn. Each turn renders the whole
 * conversation with the model's chat template (as {@code apply_chat_template} does, the rendered text carrying
 * its own special tokens) and prefills only the tokens after the longest prefix already in the cache. Where
 * the rendering differs from what the cache holds — the template re-renders an earlier turn, or spells the
 * model's reply with other tokens than it generated — the cache is cut back to the first difference and
 * prefilled from there. Not thread-safe: one turn at a time.
 */
@ProviderType
public final class ChatSession implements AutoCloseable {

    private final ModelRunner runner;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final DecodeLoop loop;
    private final PagedKvCache cache;       // blocks for the model's context, within KvCacheBudget
    private final BlockTable table;
    private final List<ChatMessage> messages = new ArrayList<>();
    private int[] cached = new int[0];      // [table.length()] the tokens whose keys and values are in the cache

    public ChatSession(ModelRunner runner, Tokenizer tokenizer, ChatTemplate template) {
        this.runner = runner;
        this.tokenizer = tokenizer;
        this.template = template;
        this.loop = new DecodeLoop(runner);
        int blockSize = KvCacheSpec.DEFAULT_BLOCK_SIZE;
        this.cache = runner.allocateKvCache(KvCacheBudget.blocks(KvCacheBudget.tokens(runner.info()), blockSize), blockSize);
        this.table = cache.newSequence();
    }

    /** The conversation so far. */
    public List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    /** Tokens whose keys and values the cache holds. */
    public int cachedTokens() {
        return cached.length;
    }

    /**
     * Adds {@code userMessage} to the conversation and generates the assistant's reply, streaming it to
     * {@code sink}; the reply joins the conversation. On failure the conversation is as before the call.
     *
     * @throws GenerationException if the conversation no longer fits the model's context
     */
    public GenerationResult reply(String userMessage, SamplingParams params, Consumer<String> sink) {
        messages.add(new ChatMessage("user", userMessage));
        try {
            ModelInfo info = runner.info();
            int[] ids = tokenizer.encode(template.render(messages, true), false).ids();
            PromptTokens.check(ids, info, "conversation");

            // keep the longest prefix the cache already holds; the last token must go through the model for its logits
            int reuse = Math.min(commonPrefix(cached, ids), ids.length - 1);
            table.setLength(reuse);
            cached = Arrays.copyOf(cached, reuse);
            int[] fresh = Arrays.copyOfRange(ids, reuse, ids.length);

            Sampler sampler = new Sampler(params, info.vocabSize());
            sampler.observePrompt(ids);
            long start = System.nanoTime();
            loop.prefill(cache, table, fresh);
            long prefillNanos = System.nanoTime() - start;
            cached = ids;
            DecodeLoop.Outcome outcome = loop.decode(cache, table, sampler, params.maxNewTokens(),
                    PromptTokens.stopTokenIds(params, info), PromptTokens.primedDecoder(tokenizer, ids),
                    new StopStrings(params.stopStrings()), sink);
            int[] inCache = Arrays.copyOf(ids, ids.length + outcome.fed());
            System.arraycopy(outcome.generated(), 0, inCache, ids.length, outcome.fed());
            cached = inCache;
            messages.add(new ChatMessage("assistant", outcome.text()));
            GenerationStats stats = new GenerationStats(ids.length, reuse, outcome.generated().length, prefillNanos,
                    outcome.fed(), outcome.nanos());
            return new GenerationResult(ids, outcome.generated(), outcome.text(), outcome.reason(),
                    Generator.seedOf(sampler), stats);
        } catch (RuntimeException e) {
            messages.removeLast();
            // whatever a failed step wrote beyond the known tokens is not trusted
            int known = Math.min(cached.length, table.length());
            table.setLength(known);
            cached = Arrays.copyOf(cached, known);
            throw e;
        }
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    /** Releases the KV cache. */
    @Override
    public void close() {
        table.release();
        cache.close();
    }
}
