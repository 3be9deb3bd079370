package io.tttv2.integration.generation;

import static io.tttv2.integration.generation.TokenizerFixture.END_OF_TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.tensor.DType;
import io.tttv2.integration.tokenizers.ChatMessage;
import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sizes from outside (token limits, a claimed context) bound nothing until checked against what fits. */
class LimitsTest {
    private final Tokenizer tokenizer = TokenizerFixture.tokenizer();

    private static final ChatTemplate ECHO = new ChatTemplate() {
        @Override
        public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> variables) {
            return messages.getLast().content();
        }

        @Override
        public String source() {
            return "echo";
        }
    };

    /** Never writes EOS: only a length limit ends it. */
    private ScriptedRunner endless(int context) {
        return new ScriptedRunner(tokenizer.vocabSize(), context, List.of(END_OF_TEXT), seen -> 5);
    }

    @Test
    void aHugeMaxNewTokensAllocatesOnlyWhatTheContextHolds() {
        ScriptedRunner runner = endless(64);
        SamplingParams params = SamplingParams.builder().maxNewTokens(Integer.MAX_VALUE).build();
        GenerationResult result = new Generator(runner, tokenizer).generate("In the beginning", params, s -> { });
        assertEquals(FinishReason.LENGTH, result.finishReason());
        assertEquals(64 - result.promptIds().length + 1, result.generatedIds().length);
        assertEquals(64 / KvCacheSpec.DEFAULT_BLOCK_SIZE, runner.caches.getFirst().spec().blocks());
    }

    @Test
    void aClaimedContextOfBillionsIsHeldToTheKvCacheBudget() {
        ScriptedRunner runner = endless(Integer.MAX_VALUE);
        try (ChatSession chat = new ChatSession(runner, tokenizer, ECHO)) {
            long bytes = (long) runner.caches.getFirst().spec().blocks() * KvCacheSpec.DEFAULT_BLOCK_SIZE
                    * 2 * 8 * DType.F32.byteSize();     // 1 layer, 1 kv head, head_dim 8: keys + values
            assertEquals(KvCacheBudget.MAX_BYTES, bytes);
        }
    }

    @Test
    void aLargeModelsBudgetIsItsBytesPerToken() {
        // 32 layers × 8 kv heads × 128 head_dim × (k + v) × 4 bytes = 256 KiB per token; claims 2^30 positions
        ModelInfo big = new ModelInfo("BigForCausalLM", 32000, 4096, 32, 1 << 30, List.of(2),
                KvCacheSpec.forHeads(32, 8, 128, KvCacheSpec.DEFAULT_BLOCK_SIZE, 1, DType.F32));
        assertEquals(16384, KvCacheBudget.tokens(big));
    }

    @Test
    void aPromptBeyondTheBudgetIsOneLine() {
        ModelInfo big = new ModelInfo("BigForCausalLM", 32000, 4096, 32, 1 << 30, List.of(2),
                KvCacheSpec.forHeads(32, 8, 128, KvCacheSpec.DEFAULT_BLOCK_SIZE, 1, DType.F32));
        GenerationException e = assertThrows(GenerationException.class,
                () -> PromptTokens.check(new int[16385], big, "prompt"));
        assertEquals("the prompt is 16385 tokens long, more than the 4 GiB KV cache limit holds for this model"
                + " (16384 tokens)", e.getMessage());
    }
}
