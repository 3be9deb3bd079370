package io.tttv2.integration.tokenizers.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.integration.hf.gguf.GgufValue;
import io.tttv2.integration.hf.gguf.GgufValueType;
import io.tttv2.integration.hf.gguf.GgufWriter;
import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.ChatMessage;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import io.tttv2.integration.tokenizers.TokenizerGguf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokenizers carried by GGUF files against HuggingFace's ids for the fixtures' texts (testdata/fixtures/tokenizers/
 * …/cases.json). The byte-level one goes tokenizer.json → tokenizer.ggml.* → tokenizer; the SentencePiece one is
 * given as llama.cpp stores it (tokens, scores, types), its scores made from the merge ranks as SentencePiece
 * BPE's are. That llama.cpp tokenises these files the same way is checked against llama.cpp in tests/.
 */
class GgufTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Path fixture(String name) {
        return Path.of(System.getProperty("tttv2.root"), "testdata", "fixtures", "tokenizers", name);
    }

    private Path write(Map<String, GgufValue> metadata) throws IOException {
        GgufWriter w = new GgufWriter();
        w.put("general.architecture", GgufValue.string("llama"));
        metadata.forEach(w::put);
        Path file = tmp.resolve("tokenizer.gguf");
        w.write(file);
        return file;
    }

    @Test
    void byteLevelBpeThroughGgufMatchesHuggingFace() throws IOException {
        Path dir = fixture("bytelevel-bpe");
        Map<String, GgufValue> metadata = TokenizerGguf.metadata(dir, null, null);
        assertEquals("llama-bpe", metadata.get("tokenizer.ggml.pre").value());
        assertEquals(false, metadata.get("tokenizer.ggml.add_bos_token").value());
        Tokenizer tokenizer = Tokenizer.load(write(metadata));
        int checked = 0;
        for (JsonNode c : JSON.readTree(dir.resolve("cases.json").toFile()).get("cases")) {
            String text = c.get("text").asText();
            if (text.contains("<|")) {
                continue;   // llama.cpp's tokenize does not parse special tokens in text unless asked
            }
            assertArrayEquals(ints(c.get("ids_no_special")), tokenizer.encode(text, true).ids(), text);
            assertEquals(c.get("decoded").asText(), tokenizer.decode(ints(c.get("ids_no_special")), false), text);
            checked++;
        }
        assertTrue(checked >= 10, "checked " + checked);
    }

    @Test
    void sentencePieceAsLlamaCppStoresItMatchesHuggingFace() throws IOException {
        Path dir = fixture("sentencepiece-bpe");
        Tokenizer tokenizer = Tokenizer.load(write(llamaMetadata(dir)));
        int checked = 0;
        for (JsonNode c : JSON.readTree(dir.resolve("cases.json").toFile()).get("cases")) {
            String text = c.get("text").asText();
            if (text.contains("<s>") || text.contains("</s>") || text.contains("<unk>")) {
                continue;
            }
            assertArrayEquals(ints(c.get("ids")), tokenizer.encode(text, true).ids(), text);
            checked++;
        }
        assertTrue(checked >= 10, "checked " + checked);
    }

    @Test
    void anUnknownPreTokenizerIsOneLine() throws IOException {
        Map<String, GgufValue> metadata = new LinkedHashMap<>(TokenizerGguf.metadata(fixture("bytelevel-bpe"), null, null));
        metadata.put("tokenizer.ggml.pre", GgufValue.string("falcon"));
        Path file = write(metadata);
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(file));
        assertEquals(file + ": key 'tokenizer.ggml.pre' expected one of llama-bpe, qwen2, gpt-2, default, found 'falcon'",
                e.getMessage());
    }

    @Test
    void theChatTemplateComesFromTheFile() throws IOException {
        Map<String, GgufValue> metadata = new LinkedHashMap<>(TokenizerGguf.metadata(fixture("bytelevel-bpe"), 0, 0));
        metadata.put("tokenizer.chat_template", GgufValue.string(
                "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{{ eos_token }}"));
        ChatTemplate template = ChatTemplate.load(write(metadata));
        assertEquals("<|im_start|>user\nhi<|im_end|>\n<|endoftext|>",
                template.render(List.of(new ChatMessage("user", "hi")), false));
    }

    /** The SentencePiece fixture as llama.cpp's converter stores it: tokens by id, score −rank, types. */
    private static Map<String, GgufValue> llamaMetadata(Path dir) throws IOException {
        JsonNode root = JSON.readTree(dir.resolve("tokenizer.json").toFile());
        JsonNode vocab = root.get("model").get("vocab");
        String[] tokens = new String[vocab.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tokens[e.getValue().asInt()] = e.getKey();
        }
        Map<String, Integer> mergedRank = new LinkedHashMap<>();
        int rank = 0;
        for (JsonNode m : root.get("model").get("merges")) {
            String merged = m.isArray() ? m.get(0).asText() + m.get(1).asText() : m.asText().replace(" ", "");
            mergedRank.putIfAbsent(merged, rank++);
        }
        float[] scores = new float[tokens.length];
        long[] types = new long[tokens.length];
        for (int id = 0; id < tokens.length; id++) {
            String t = tokens[id];
            scores[id] = mergedRank.containsKey(t) ? -mergedRank.get(t) : -1e6f;
            types[id] = t.matches("<0x[0-9A-F]{2}>") ? 6 : t.equals("<unk>") ? 2 : t.equals("<s>") || t.equals("</s>")
                    ? 3 : 1;
        }
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", GgufValue.string("llama"));
        m.put("tokenizer.ggml.tokens", GgufValue.strings(tokens));
        m.put("tokenizer.ggml.scores", GgufValue.floats(scores));
        m.put("tokenizer.ggml.token_type", GgufValue.int32s(types));
        m.put("tokenizer.ggml.bos_token_id", new GgufValue(GgufValueType.UINT32, 1L));
        m.put("tokenizer.ggml.eos_token_id", new GgufValue(GgufValueType.UINT32, 2L));
        m.put("tokenizer.ggml.add_bos_token", GgufValue.bool(true));
        return m;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
