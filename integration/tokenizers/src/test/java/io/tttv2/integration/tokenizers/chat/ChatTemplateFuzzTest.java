package io.tttv2.integration.tokenizers.chat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tttv2.integration.tokenizers.ChatMessage;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chat templates under hostile input. Hostile messages through real templates: every message's text comes
 * out verbatim (it is data, never template code), or the template itself refuses the conversation in one
 * line. Hostile templates: they render within the limits, or fail in one line naming the template.
 */
class ChatTemplateFuzzTest {
    private static final List<JinjaChatTemplate> REAL = real();
    /** The roles every template renders (others, such as "tool" or "", some templates drop by design). */
    private static final List<String> ROLES = List.of("system", "user", "assistant");

    @FuzzTest(maxDuration = "2h")
    void hostileMessages(FuzzedDataProvider data) {
        JinjaChatTemplate template = data.pickValue(REAL);
        int count = data.consumeInt(1, 6);
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(new ChatMessage(data.pickValue(ROLES), data.consumeString(200)));
        }
        String rendered;
        try {
            rendered = template.render(messages, data.consumeBoolean());
        } catch (TokenizerException e) {
            // the templates raise on roles they do not accept (order, system messages)
            assertTrue(e.getMessage().contains("the template raised an exception"), e.getMessage());
            return;
        }
        for (ChatMessage m : messages) {
            // templates trim the text (Python's whitespace: U+00A0 too); what remains must be there as typed
            String text = PythonStringMethods.strip(m.content(), null, true, true);
            assertTrue(rendered.contains(text), "message text was altered: " + text + "\nin:\n" + rendered);
        }
    }

    @FuzzTest(maxDuration = "2h")
    void hostileTemplates(FuzzedDataProvider data) {
        String content = data.consumeString(100);
        String source = data.consumeRemainingAsString();
        JinjaChatTemplate template;
        try {
            template = new JinjaChatTemplate("fuzz.jinja", source, Map.of("bos_token", "<s>"), Duration.ofMillis(500));
        } catch (TokenizerException e) {
            assertOneLine(e);
            return;
        }
        try {
            String rendered = template.render(List.of(new ChatMessage("user", content)), true);
            assertTrue(rendered.length() <= TemplateLimits.MAX_CHARS, "output of " + rendered.length() + " characters");
        } catch (TokenizerException e) {
            assertOneLine(e);
        }
    }

    private static void assertOneLine(TokenizerException e) {
        assertTrue(e.getMessage().startsWith("fuzz.jinja: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e.getMessage());
    }

    private static List<JinjaChatTemplate> real() {
        Path dir = Path.of("src/test/resources/chat/templates");
        List<JinjaChatTemplate> templates = new ArrayList<>();
        // the real models' templates (pythonisms, a test of Python idioms, drops and reshapes messages by design)
        for (String name : List.of("llama3", "llama31", "mistral", "gemma", "qwen2")) {
            try {
                templates.add(new JinjaChatTemplate(name, Files.readString(dir.resolve(name + ".jinja")),
                        Map.of("bos_token", "<s>", "eos_token", "</s>")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return templates;
    }
}
