package io.tttv2.integration.tokenizers.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.integration.tokenizers.ChatMessage;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What ChatTemplateFuzzTest found, kept as tests (its crash inputs also stay in the corpus). */
class FuzzFindingsTest {

    @Test
    void aMalformedTagIsOneLineNamingTheTemplateNotAnEngineException() {
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> new JinjaChatTemplate("fuzz.jinja", "x{%}y", Map.of()));
        assertEquals("fuzz.jinja: Syntax error in '{%}': Malformed tag token", e.getMessage());
    }

    @Test
    void controlCharactersComeOutAsTheyWentIn() {
        JinjaChatTemplate chat = new JinjaChatTemplate("t", "{{ messages[0].content }}|{{ 'a' ~ messages[0].content }}",
                Map.of());
        String text = "\u0001\u0002 x\u001b[31m \u007f\b\f";
        assertEquals(text + "|a" + text, chat.render(List.of(new ChatMessage("user", text)), false));
    }

    @Test
    void trimRemovesWhitespaceOnlyAsPythonDoes() {
        JinjaChatTemplate chat = new JinjaChatTemplate("t", "[{{ messages[0].content | trim }}]", Map.of());
        assertEquals("[\u0001 hi \u0003]", chat.render(List.of(new ChatMessage("user", " \t\u0001 hi \u0003\n ")), false));
        assertEquals("[hi]", chat.render(List.of(new ChatMessage("user", "\u2003 hi\u00a0\u3000")), false));
    }
}
