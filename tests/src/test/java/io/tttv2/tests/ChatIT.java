package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tttv2 chat} on a model folder assembled from the embedded kjv-tiny (weights, byte-level tokenizer)
 * and the ChatML template of the byte-level tokenizer fixture, which kjv-tiny shares. The conversation comes
 * on stdin; the KV cache must carry over between turns and give the same replies as reading the whole
 * conversation afresh.
 */
class ChatIT {

    private static final Path KJV = BuiltDistribution.home().resolve("models/kjv-tiny");
    private static final Path TEMPLATE = BuiltDistribution.root().resolve("testdata/fixtures/tokenizers/bytelevel-bpe/chat_template.jinja");

    @TempDir
    Path model;

    @BeforeEach
    void assembleModel() throws Exception {
        for (String file : List.of("config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            Files.copy(KJV.resolve(file), model.resolve(file));
        }
        Files.copy(TEMPLATE, model.resolve("chat_template.jinja"));
    }

    @Test
    void eachTurnReadsOnlyWhatIsNewAndRepliesAsAFreshReadingWould() throws Exception {
        LauncherRun run = LauncherRun.withInput(BuiltDistribution.launcherJar(), "In the beginning\n\nAnd God said\n",
                "chat", "--model", model.toString(), "--greedy", "--max-tokens", "12", "--stop", "\n");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(2, run.out().size(), "one line per turn; the blank line is no turn: " + run.transcript());
        assertEquals(2, run.err().size(), "one line of figures per turn: " + run.transcript());
        assertTrue(run.err().get(0).matches("\\d+ prompt tokens, \\d+ generated \\((length|stop)\\); .*"), run.transcript());
        assertTrue(run.err().get(1).matches("\\d+ prompt tokens \\(\\d+ already in the KV cache\\), \\d+ generated .*"),
                "the second turn reuses the cache: " + run.transcript());

        // the same conversation, rendered by hand and read in one prefill, continues with the same reply
        String first = run.out().get(0), second = run.out().get(1);
        assertEquals(reply("<|im_start|>user\nIn the beginning<|im_end|>\n<|im_start|>assistant\n"), first);
        assertEquals(reply("<|im_start|>user\nIn the beginning<|im_end|>\n<|im_start|>assistant\n" + first
                + "<|im_end|>\n<|im_start|>user\nAnd God said<|im_end|>\n<|im_start|>assistant\n"), second);
    }

    private String reply(String renderedConversation) throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "generate", "--model", model.toString(), "--json",
                "--greedy", "--max-tokens", "12", "--stop", "\n", renderedConversation);
        assertEquals(0, run.exitCode(), run.transcript());
        JsonNode result = new ObjectMapper().readTree(run.out().get(0));
        return result.get("text").asText();
    }

    @Test
    void endOfInputRightAwayEndsTheChat() throws Exception {
        LauncherRun run = LauncherRun.withInput(BuiltDistribution.launcherJar(), "", "chat", "--model", model.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(List.of(), run.out(), run.transcript());
        assertEquals(List.of(), run.err(), run.transcript());
    }

    @Test
    void aModelWithoutAChatTemplateIsOneLine() throws Exception {
        LauncherRun run = LauncherRun.withInput(BuiltDistribution.launcherJar(), "Hello\n", "chat");
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        assertTrue(run.err().get(0).contains("no chat template"), run.transcript());
    }
}
