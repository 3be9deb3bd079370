package io.tttv2.integration.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code chat} case of every fixture that has one: the rendering of {@code chat_template.jinja} with the
 * fixture's {@code tokenizer_config.json} must equal {@code transformers}' output, and so must its ids.
 */
class ChatFixtureTest {

    static Stream<Path> fixturesWithChat() {
        return Fixtures.fixtureDirs().stream().filter(dir -> Fixtures.cases(dir).has("chat"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixturesWithChat")
    void renderingAndIdsMatchTransformers(Path dir) {
        JsonNode chat = Fixtures.cases(dir).get("chat");
        List<ChatMessage> messages = new ArrayList<>();
        chat.get("messages").forEach(m -> messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText())));

        String rendered = ChatTemplate.load(dir).render(messages, chat.get("add_generation_prompt").asBoolean());

        assertEquals(chat.get("rendered").asText(), rendered);
        Tokenizer tokenizer = Fixtures.tokenizer(dir.getFileName().toString());
        // apply_chat_template(tokenize=True) encodes without adding special tokens: the template wrote them.
        assertArrayEquals(Fixtures.ints(chat.get("ids")), tokenizer.encode(rendered, false).ids());
    }
}
