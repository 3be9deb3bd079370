package io.tttv2.integration.generation;

import static io.tttv2.integration.generation.TokenizerFixture.IM_END;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.integration.tokenizers.ChatMessage;
import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * A conversation over a scripted "assistant" with the byte-level fixture's ChatML template: each turn
 * prefills only what the cache lacks, and the cache always holds exactly the rendered conversation.
 */
class ChatSessionTest {

    private final Tokenizer tokenizer = TokenizerFixture.tokenizer();
    private final ChatTemplate template = ChatTemplate.load(TokenizerFixture.folder());
    private final int[] assistantHeader = tokenizer.encode("<|im_start|>assistant\n", false).ids();

    /**
     * The assistant: after the last {@code <|im_start|>assistant\n} it writes its replies, one per turn, token by
     * token, then {@code <|im_end|>} (the model's EOS).
     */
    private ToIntFunction<int[]> replying(List<int[]> replies) {
        return seen -> {
            int turn = -1, headerEnd = -1;
            for (int i = 0; i + assistantHeader.length <= seen.length; i++) {
                if (Arrays.equals(seen, i, i + assistantHeader.length, assistantHeader, 0, assistantHeader.length)) {
                    turn++;
                    headerEnd = i + assistantHeader.length;
                }
            }
            int[] reply = replies.get(turn);
            int written = seen.length - headerEnd;
            return written < reply.length ? reply[written] : IM_END;
        };
    }

    private ScriptedRunner assistant(int context, List<int[]> replies) {
        return new ScriptedRunner(tokenizer.vocabSize(), context, List.of(IM_END), replying(replies));
    }

    private int[] rendered(List<ChatMessage> messages) {
        return tokenizer.encode(template.render(messages, true), false).ids();
    }

    @Test
    void theSecondTurnPrefillsOnlyWhatTheCacheLacks() {
        int[] first = tokenizer.encode("In the beginning was the Word.", false).ids();
        int[] second = tokenizer.encode("And the Word was with God.", false).ids();
        ScriptedRunner runner = assistant(512, List.of(first, second));
        List<String> streamed = new ArrayList<>();
        try (ChatSession chat = new ChatSession(runner, tokenizer, template)) {
            GenerationResult one = chat.reply("What was in the beginning?", SamplingParams.builder().build(), streamed::add);
            assertEquals("In the beginning was the Word.", one.text());
            assertEquals(FinishReason.EOS, one.finishReason());
            int[] conversationOne = rendered(List.of(new ChatMessage("user", "What was in the beginning?")));
            assertArrayEquals(conversationOne, runner.prefills.get(0), "the first turn prefills the whole rendering");
            assertEquals(conversationOne.length + first.length, chat.cachedTokens(), "prompt and reply, not the EOS");

            GenerationResult two = chat.reply("And then?", SamplingParams.builder().build(), streamed::add);
            assertEquals("And the Word was with God.", two.text());
            int[] conversationTwo = rendered(chat.messages().subList(0, 3));
            assertArrayEquals(conversationTwo, two.promptIds());
            int reused = conversationOne.length + first.length;
            assertEquals(reused, two.stats().cachedTokens());
            assertArrayEquals(Arrays.copyOfRange(conversationTwo, reused, conversationTwo.length), runner.prefills.get(1),
                    "the second turn prefills from the reply's <|im_end|> on");
            assertArrayEquals(conversationTwo, runner.afterPrefill.get(1), "the cache holds exactly the conversation");
            assertEquals(List.of(new ChatMessage("user", "What was in the beginning?"),
                    new ChatMessage("assistant", "In the beginning was the Word."),
                    new ChatMessage("user", "And then?"),
                    new ChatMessage("assistant", "And the Word was with God.")), chat.messages());
        }
        assertEquals("In the beginning was the Word.And the Word was with God.", String.join("", streamed));
    }

    @Test
    void aReplyTheTokenizerSpellsDifferentlyIsPrefilledAgainFromTheFirstDifference() {
        // the model writes " Word" byte by byte; re-encoding the conversation gives one token for it
        int[] start = tokenizer.encode("The", false).ids();
        int[] spelled = new int[start.length + 5];
        System.arraycopy(start, 0, spelled, 0, start.length);
        int at = start.length;
        for (char c : " Word".toCharArray()) {
            spelled[at++] = tokenizer.tokenId(String.valueOf(c == ' ' ? 'Ġ' : c));
        }
        assertTrue(Arrays.stream(spelled).allMatch(id -> id >= 0));
        ScriptedRunner runner = assistant(512, List.of(spelled, tokenizer.encode("Amen.", false).ids()));
        try (ChatSession chat = new ChatSession(runner, tokenizer, template)) {
            GenerationResult one = chat.reply("Who?", SamplingParams.builder().build(), s -> { });
            assertEquals("The Word", one.text());
            int[] conversationOne = one.promptIds();

            GenerationResult two = chat.reply("Again?", SamplingParams.builder().build(), s -> { });
            int[] conversationTwo = two.promptIds();
            assertEquals(conversationOne.length + start.length, two.stats().cachedTokens(),
                    "kept up to where the rendering spells \" Word\" as one token");
            assertArrayEquals(conversationTwo, runner.afterPrefill.get(1), "the cache holds exactly the new rendering");
            assertEquals("Amen.", two.text());
        }
    }

    @Test
    void aConversationBeyondTheContextIsRefusedAndLeavesTheSessionAsItWas() {
        int[] reply = tokenizer.encode("Yes.", false).ids();
        ScriptedRunner runner = assistant(40, List.of(reply, reply, reply));
        try (ChatSession chat = new ChatSession(runner, tokenizer, template)) {
            chat.reply("Hi", SamplingParams.builder().build(), s -> { });
            int cached = chat.cachedTokens();
            GenerationException e = assertThrows(GenerationException.class,
                    () -> chat.reply("a much longer question that will not fit into forty tokens of context at all, surely",
                            SamplingParams.builder().build(), s -> { }));
            assertTrue(e.getMessage().contains("longer than the model's context of 40 tokens"), e.getMessage());
            assertEquals(2, chat.messages().size());
            assertEquals(cached, chat.cachedTokens());
            GenerationResult after = chat.reply("Ok?", SamplingParams.builder().build(), s -> { });
            assertEquals("Yes.", after.text());
            assertEquals(cached, after.stats().cachedTokens(), "the cache survived the refused turn");
        }
    }

    @Test
    void closingReleasesTheCache() {
        ScriptedRunner runner = assistant(64, List.of(new int[0]));
        ChatSession chat = new ChatSession(runner, tokenizer, template);
        chat.reply("Hi", SamplingParams.builder().build(), s -> { });
        chat.close();
        assertTrue(runner.caches.get(0).closed);
        assertEquals(2, runner.caches.get(0).freeBlocks(), "every block back in the pool");
    }
}
