package io.tttv2.integration.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-world chat templates (Llama 3, Llama 3.1, Mistral, Gemma, Qwen 2 and one exercising Python idioms) rendered
 * with Jinjava against what jinja2 renders in {@code transformers}' environment: {@code resources/chat/expected}
 * was produced by {@code resources/chat/generate_expected.py} (jinja2 3.1.6). An expectation starting with
 * {@code RAISES: } means the template calls {@code raise_exception} with that message.
 */
class ChatTemplateRenderingTest {
    private static final Path CHAT = Path.of("src/test/resources/chat");

    @TempDir
    Path modelDir;

    static Stream<Arguments> renderings() throws IOException {
        List<Arguments> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(CHAT.resolve("expected"))) {
            for (Path expected : files.sorted().toList()) {
                String[] parts = expected.getFileName().toString().split("\\.");
                all.add(Arguments.of(parts[0], parts[1], parts[2].equals("gen"), expected));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} generation_prompt={2}")
    @MethodSource("renderings")
    void rendersAsJinja2Does(String template, String variant, boolean generationPrompt, Path expectedFile)
            throws IOException {
        JsonNode conversation = new ObjectMapper().readTree(CHAT.resolve("conversation.json").toFile());
        List<ChatMessage> messages = new ArrayList<>();
        conversation.get("messages").forEach(m -> messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText())));
        if (variant.equals("nosystem")) {
            messages.removeFirst();
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        conversation.get("variables").fields().forEachRemaining(e -> variables.put(e.getKey(), e.getValue().asText()));
        Files.copy(CHAT.resolve("templates").resolve(template + ".jinja"), modelDir.resolve("chat_template.jinja"));
        ChatTemplate chat = ChatTemplate.load(modelDir);
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8);

        if (expected.startsWith("RAISES: ")) {
            TokenizerException e = assertThrows(TokenizerException.class,
                    () -> chat.render(messages, generationPrompt, variables));
            assertTrue(e.getMessage().contains(expected.substring("RAISES: ".length())), e.getMessage());
            assertTrue(e.getMessage().contains("chat_template.jinja"), e.getMessage());
        } else {
            assertEquals(expected, chat.render(messages, generationPrompt, variables));
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
