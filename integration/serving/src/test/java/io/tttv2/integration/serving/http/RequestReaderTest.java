package io.tttv2.integration.serving.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Module;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.PrefillRequest;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.integration.serving.ServedModel;
import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request bodies of both endpoints: what is accepted, and a 400 naming the field for everything else. */
class RequestReaderTest {

    private static final Path FIXTURE = Path.of(System.getProperty("tttv2.root"), "testdata/fixtures/tokenizers/bytelevel-bpe");
    private static final Tokenizer TOKENIZER = Tokenizer.load(FIXTURE.resolve("tokenizer.json"));
    private static final int CONTEXT = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Only {@code info()} is read while a request is checked. */
    private static final ModelRunner INFO_ONLY = new ModelRunner() {
        @Override
        public ModelInfo info() {
            return new ModelInfo("TestForCausalLM", TOKENIZER.vocabSize(), 8, 1, CONTEXT, List.of(0),
                    KvCacheSpec.forHeads(1, 1, 8, KvCacheSpec.DEFAULT_BLOCK_SIZE, 1, DType.F32));
        }

        @Override
        public PagedKvCache allocateKvCache(int blocks, int blockSize) {
            throw new AssertionError("checking a request allocates nothing");
        }

        @Override
        public void prefill(PagedKvCache cache, List<PrefillRequest> requests, Tensor lastLogits) {
            throw new AssertionError("checking a request runs nothing");
        }

        @Override
        public void decode(PagedKvCache cache, int[] tokens, BlockTable[] tables, Tensor logits) {
            throw new AssertionError("checking a request runs nothing");
        }

        @Override
        public Map<String, Module> modules() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    };

    private final RequestReader withTemplate = new RequestReader(
            new ServedModel("m", INFO_ONLY, TOKENIZER, ChatTemplate.load(FIXTURE), Set.of(7)), CONTEXT);
    private final RequestReader withoutTemplate = new RequestReader(
            new ServedModel("m", INFO_ONLY, TOKENIZER, null, Set.of()), CONTEXT);

    private static JsonNode body(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void aCompletionWithDefaultsIsGreedyOnlyAtTemperatureZero() throws Exception {
        ParsedRequest r = withTemplate.completion(body("{\"model\":\"m\",\"prompt\":\"In the beginning\",\"temperature\":0,\"stop\":[\"\\n\"],\"whatever\":{\"x\":1}}"));
        assertArrayEquals(TOKENIZER.encode("In the beginning", true).ids(), r.promptIds());
        assertTrue(r.params().greedy());
        assertEquals(RequestReader.DEFAULT_COMPLETION_TOKENS, r.params().maxNewTokens());
        assertEquals(List.of("\n"), r.params().stopStrings());
        assertEquals(Set.of(7), r.params().stopTokenIds(), "the model's stop tokens from generation_config.json");
        assertFalse(r.stream());
        ParsedRequest sampled = withTemplate.completion(body("{\"model\":\"m\",\"prompt\":[5,6,7],\"max_tokens\":3,\"seed\":9,\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
        assertFalse(sampled.params().greedy(), "OpenAI's default temperature is 1");
        assertArrayEquals(new int[] {5, 6, 7}, sampled.promptIds());
        assertEquals(3, sampled.params().maxNewTokens());
        assertEquals(9L, sampled.params().seed().getAsLong());
        assertTrue(sampled.stream() && sampled.includeUsage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"prompt\":\"x\"}|model",
            "{\"model\":5,\"prompt\":\"x\"}|model",
            "{\"model\":\"gpt-4\",\"prompt\":\"x\"}|model",
            "{\"model\":\"m\"}|prompt",
            "{\"model\":\"m\",\"prompt\":42}|prompt",
            "{\"model\":\"m\",\"prompt\":\"\"}|prompt",
            "{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}|prompt",
            "{\"model\":\"m\",\"prompt\":[1,999999]}|prompt",
            "{\"model\":\"m\",\"prompt\":\"x\",\"max_tokens\":\"ten\"}|max_tokens",
            "{\"model\":\"m\",\"prompt\":\"x\",\"max_tokens\":0}|max_tokens",
            "{\"model\":\"m\",\"prompt\":\"x\",\"max_tokens\":-5}|max_tokens",
            "{\"model\":\"m\",\"prompt\":\"x\",\"max_tokens\":1.5}|max_tokens",
            "{\"model\":\"m\",\"prompt\":\"x\",\"max_tokens\":99999999999}|max_tokens",
            "{\"model\":\"m\",\"prompt\":\"x\",\"max_tokens\":64}|max_tokens",
            "{\"model\":\"m\",\"prompt\":\"x\",\"temperature\":\"hot\"}|temperature",
            "{\"model\":\"m\",\"prompt\":\"x\",\"temperature\":2.5}|temperature",
            "{\"model\":\"m\",\"prompt\":\"x\",\"temperature\":-1}|temperature",
            "{\"model\":\"m\",\"prompt\":\"x\",\"top_p\":0}|top_p",
            "{\"model\":\"m\",\"prompt\":\"x\",\"top_p\":1.5}|top_p",
            "{\"model\":\"m\",\"prompt\":\"x\",\"n\":2}|n",
            "{\"model\":\"m\",\"prompt\":\"x\",\"n\":\"1\"}|n",
            "{\"model\":\"m\",\"prompt\":\"x\",\"presence_penalty\":3}|presence_penalty",
            "{\"model\":\"m\",\"prompt\":\"x\",\"frequency_penalty\":-2.5}|frequency_penalty",
            "{\"model\":\"m\",\"prompt\":\"x\",\"seed\":1.5}|seed",
            "{\"model\":\"m\",\"prompt\":\"x\",\"stop\":5}|stop",
            "{\"model\":\"m\",\"prompt\":\"x\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}|stop",
            "{\"model\":\"m\",\"prompt\":\"x\",\"stop\":\"\"}|stop",
            "{\"model\":\"m\",\"prompt\":\"x\",\"stream\":\"yes\"}|stream",
            "{\"model\":\"m\",\"prompt\":\"x\",\"stream_options\":true}|stream_options",
            "{\"model\":\"m\",\"prompt\":\"x\",\"echo\":true}|echo",
            "{\"model\":\"m\",\"prompt\":\"x\",\"logprobs\":3}|logprobs"})
    void everyBadCompletionFieldIsA400NamingIt(String json, String field) throws Exception {
        ApiError e = assertThrows(ApiError.class, () -> withTemplate.completion(body(json)));
        assertEquals(400, e.status);
        assertEquals(field, e.param, e.getMessage());
        assertTrue(e.getMessage().startsWith(field), "the message names the field: " + e.getMessage());
    }

    @Test
    void aChatIsRenderedThroughTheTemplate() throws Exception {
        ParsedRequest r = withTemplate.chat(body("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}],\"max_completion_tokens\":5}"));
        String rendered = ChatTemplate.load(FIXTURE).render(List.of(new io.tttv2.integration.tokenizers.ChatMessage("system", "Be brief."),
                new io.tttv2.integration.tokenizers.ChatMessage("user", "Hi")), true);
        assertArrayEquals(TOKENIZER.encode(rendered, false).ids(), r.promptIds());
        assertEquals(5, r.params().maxNewTokens());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"model\":\"m\"}|messages",
            "{\"model\":\"m\",\"messages\":\"hi\"}|messages",
            "{\"model\":\"m\",\"messages\":[]}|messages",
            "{\"model\":\"m\",\"messages\":[5]}|messages[0]",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}|messages[0].role",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}|messages[0].content",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":7}]}|messages[0].content",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}|messages[0].content[0]",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logprobs\":true}|logprobs"})
    void everyBadChatFieldIsA400NamingIt(String json, String field) throws Exception {
        ApiError e = assertThrows(ApiError.class, () -> withTemplate.chat(body(json)));
        assertEquals(400, e.status);
        assertEquals(field, e.param, e.getMessage());
    }

    @Test
    void aModelWithoutAChatTemplateRefusesChatClearly() throws Exception {
        ApiError e = assertThrows(ApiError.class, () -> withoutTemplate.chat(body("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
        assertEquals(400, e.status);
        assertEquals("messages", e.param);
        assertTrue(e.getMessage().contains("no chat template"), e.getMessage());
        assertArrayEquals(TOKENIZER.encode("hi", true).ids(),
                withoutTemplate.completion(body("{\"model\":\"m\",\"prompt\":\"hi\"}")).promptIds(), "completions still work");
    }
}
