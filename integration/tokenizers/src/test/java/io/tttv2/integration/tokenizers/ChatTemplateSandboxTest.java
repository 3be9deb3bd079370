package io.tttv2.integration.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading rules, template variables, and the sandbox: no file access, bounded output, one-line errors. */
class ChatTemplateSandboxTest {
    private static final List<ChatMessage> HELLO = List.of(new ChatMessage("user", "hello"));

    @TempDir
    Path dir;

    private ChatTemplate withTemplate(String template) throws IOException {
        Files.writeString(dir.resolve("chat_template.jinja"), template);
        return ChatTemplate.load(dir);
    }

    @Test
    void tokenizerConfigValuesAreVariablesAndItsChatTemplateIsUsedWithoutAFile() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": {"content": "<s>", "special": true}, "eos_token": "</s>", "add_bos_token": true,
                 "chat_template": "{{ bos_token }}{% for m in messages %}{{ m.role }}={{ m.content }}{{ eos_token }}{% endfor %}{{ add_bos_token }}"}
                """);
        ChatTemplate chat = ChatTemplate.load(dir);
        assertEquals("<s>user=hello</s>true", chat.render(HELLO, false));
        assertTrue(chat.source().endsWith("tokenizer_config.json#chat_template"), chat.source());
    }

    @Test
    void aTemplateFileWinsOverTokenizerConfig() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"from config\"}");
        assertEquals("from file", withTemplate("from file").render(HELLO, false));
    }

    @Test
    void callerVariablesOverrideConfigValues() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
        ChatTemplate chat = withTemplate("{{ eos_token }}|{{ date_string }}");
        assertEquals("<end>|1 Jan 2025", chat.render(HELLO, false, Map.of("eos_token", "<end>", "date_string", "1 Jan 2025")));
    }

    @Test
    void strftimeNowFormatsTheCurrentDate() throws IOException {
        String before = LocalDate.now().format(DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH));
        String rendered = withTemplate("{{ strftime_now('%d %b %Y') }}").render(HELLO, false);
        String after = LocalDate.now().format(DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH));
        assertTrue(rendered.equals(before) || rendered.equals(after), rendered);
    }

    @Test
    void raiseExceptionBecomesOneLineNamingTheTemplate() throws IOException {
        ChatTemplate chat = withTemplate("{% if messages[0].role != 'system' %}{{ raise_exception('need a system message') }}{% endif %}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> chat.render(HELLO, false));
        assertEquals(dir.resolve("chat_template.jinja") + ": the template raised an exception: need a system message",
                e.getMessage());
    }

    @Test
    void aBrokenTemplateFailsWhenLoadedNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("chat_template.jinja"), "{% for m in messages %}{{ m.content }}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> ChatTemplate.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("chat_template.jinja") + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void templatesCannotReadFiles() throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP SECRET");
        // chat/conversation.json is on the test class path, where Jinjava's default locator would find it.
        for (String tag : List.of("include", "import", "extends")) {
            String template = tag.equals("import") ? "{% import '" + secret + "' as s %}x" : "{% " + tag + " '" + secret + "' %}x";
            template += "{% include 'chat/conversation.json' %}";
            Path sub = Files.createDirectories(dir.resolve(tag));
            Files.writeString(sub.resolve("chat_template.jinja"), template);
            String outcome;
            try {
                outcome = ChatTemplate.load(sub).render(HELLO, false);
            } catch (TokenizerException e) {
                outcome = e.getMessage();
            }
            assertFalse(outcome.contains("TOP SECRET"), tag + " leaked the file: " + outcome);
            assertFalse(outcome.contains("helpful assistant"), "include leaked a class-path resource: " + outcome);
        }
    }

    @Test
    void outputIsBounded() throws IOException {
        ChatTemplate chat = withTemplate("{% for i in range(2000) %}{% for j in range(100) %}0123456789{% endfor %}{% endfor %}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> chat.render(HELLO, false));
        assertTrue(e.getMessage().startsWith(dir.resolve("chat_template.jinja") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("OUTPUT_TOO_BIG"), e.getMessage());
    }

    @Test
    void noTemplateAtAllIsOneLineNamingTheDirectory() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> ChatTemplate.load(dir));
        assertEquals(dir + ": no chat template (expected chat_template.jinja or chat_template in tokenizer_config.json)",
                e.getMessage());
    }

    @Test
    void malformedTokenizerConfigNamesTheFile() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": ");
        TokenizerException e = assertThrows(TokenizerException.class, () -> ChatTemplate.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer_config.json") + ": malformed JSON"), e.getMessage());
    }
}
