package io.tttv2.integration.tokenizers.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.integration.tokenizers.ChatMessage;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A template that renders too long is abandoned with one line naming it. */
class RenderTimeoutTest {

    @Test
    void slowRenderingIsAbandoned() {
        // ~4 million loop iterations: seconds of work, far beyond a 50 ms budget, and it ends by itself.
        String slow = "{% for i in range(2000) %}{% for j in range(2000) %}{% endfor %}{% endfor %}done";
        JinjaChatTemplate chat = new JinjaChatTemplate("slow.jinja", slow, Map.of(), Duration.ofMillis(50));
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> chat.render(List.of(new ChatMessage("user", "hi")), false));
        assertEquals("slow.jinja: rendering took longer than 50 ms and was stopped", e.getMessage());
    }

    @Test
    void theSameTemplateFinishesWithinTheDefaultBudgetWhenSmall() {
        String quick = "{% for i in range(20) %}{% for j in range(20) %}{% endfor %}{% endfor %}done";
        JinjaChatTemplate chat = new JinjaChatTemplate("quick.jinja", quick, Map.of());
        assertEquals("done", chat.render(List.of(new ChatMessage("user", "hi")), false));
    }
}
