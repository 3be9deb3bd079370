package io.tttv2.integration.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a user types is data, never template code: message text holding Jinja syntax comes out of every
 * real template verbatim (Jinjava re-renders a value's text by default; jinja2 never does).
 */
class ChatTemplateInjectionTest {
    private static final Path TEMPLATES = Path.of("src/test/resources/chat/templates");

    /** Each would change the output, end the chat, raise, or read a variable if it were interpreted. */
    static final List<String> HOSTILE = List.of(
            "{{ 7 * 7 }}",
            "{{ raise_exception('pwned') }}",
            "{% raise_exception('pwned') %}",
            "{{ bos_token }}{{ eos_token }}",
            "{% for m in messages %}{{ m.content }}{% endfor %}",
            "{% if %}",
            "{{ messages",
            "{# a comment #}kept",
            "{% set x = 'y' * 1000000 %}{{ x }}",
            "{{ range(100000000) | list }}");

    @TempDir
    Path modelDir;

    static Stream<Arguments> cases() {
        return Stream.of("llama3", "llama31", "mistral", "gemma", "qwen2", "pythonisms", "generation")
                .flatMap(t -> HOSTILE.stream().map(h -> Arguments.of(t, h)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void userTextComesOutVerbatim(String template, String hostile) throws IOException {
        Files.copy(TEMPLATES.resolve(template + ".jinja"), modelDir.resolve("chat_template.jinja"));
        ChatTemplate chat = ChatTemplate.load(modelDir);
        List<ChatMessage> messages = List.of(new ChatMessage("user", hostile));
        String rendered = chat.render(messages, true, Map.of("bos_token", "<s>", "eos_token", "</s>"));
        assertTrue(rendered.contains(hostile), "the message was altered:\n" + rendered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variables")
    void variablesAreNotReinterpretedEither(String value) throws IOException {
        Files.writeString(modelDir.resolve("chat_template.jinja"), "[{{ date_string }}]");
        assertEquals("[" + value + "]", ChatTemplate.load(modelDir)
                .render(List.of(new ChatMessage("user", "hi")), false, Map.of("date_string", value)));
    }

    static Stream<String> variables() {
        return HOSTILE.stream();
    }
}
