package io.tttv2.integration.tokenizers.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.integration.tokenizers.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Post-processors other than the fixtures' template, and WordPiece's options. */
class PostProcessorsAndWordPieceTest {
    private static final String WORDPIECE = """
            {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 5,
             "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "un": 3, "##aff": 4, "##able": 5, "aff": 6, "<s>": 7, "</s>": 8}}
            """;

    @TempDir
    Path dir;

    private Tokenizer withProcessor(String processor) throws IOException {
        Path file = TokenizerFiles.write(dir, "[]", "null", "{\"type\": \"WhitespaceSplit\"}", WORDPIECE);
        Files.writeString(file, Files.readString(file).replace("\"post_processor\": null", "\"post_processor\": " + processor));
        return Tokenizer.load(file);
    }

    @Test
    void bertProcessingWrapsInClsAndSep() throws IOException {
        Tokenizer tokenizer = withProcessor("{\"type\": \"BertProcessing\", \"sep\": [\"[SEP]\", 2], \"cls\": [\"[CLS]\", 1]}");
        assertEquals(List.of("[CLS]", "un", "##aff", "[SEP]"), tokenizer.encode("unaff", true).tokens());
        assertEquals(List.of("un", "##aff"), tokenizer.encode("unaff", false).tokens());
    }

    @Test
    void robertaProcessingWrapsInSAndEndS() throws IOException {
        Tokenizer tokenizer = withProcessor("{\"type\": \"RobertaProcessing\", \"sep\": [\"</s>\", 8], \"cls\": [\"<s>\", 7],"
                + " \"trim_offsets\": true, \"add_prefix_space\": true}");
        assertEquals(List.of("<s>", "aff", "</s>"), tokenizer.encode("aff", true).tokens());
    }

    @Test
    void templateProcessingInStringFormInsideASequence() throws IOException {
        Tokenizer tokenizer = withProcessor("""
                {"type": "Sequence", "processors": [
                  {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
                  {"type": "TemplateProcessing", "single": "[CLS]:0 $A:0 [SEP]:0 [SEP]", "pair": "$A $B",
                   "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [1], "tokens": ["[CLS]"]},
                                      "[SEP]": {"id": "[SEP]", "ids": [2], "tokens": ["[SEP]"]}}}]}
                """);
        assertEquals(List.of("[CLS]", "aff", "[SEP]", "[SEP]"), tokenizer.encode("aff", true).tokens());
        assertEquals(List.of(1, 6, 2, 2), java.util.Arrays.stream(tokenizer.encode("aff", true).ids()).boxed().toList());
    }

    @Test
    void wordPieceFallsBackToUnkForUncoverableOrOverlongWords() throws IOException {
        Tokenizer tokenizer = withProcessor("null");
        assertEquals(List.of("[UNK]", "aff", "[UNK]"), tokenizer.encode("unx aff unaffable", false).tokens(),
                "'unx' cannot be covered; 'unaffable' has more than max_input_chars_per_word characters");
        assertEquals(List.of("un", "##aff"), tokenizer.encode("unaff", false).tokens());
    }
}
