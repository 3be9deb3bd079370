package io.tttv2.integration.generation;

import static io.tttv2.integration.generation.TokenizerFixture.END_OF_TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.integration.tokenizers.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Generation over a scripted runner and the real byte-level tokenizer: stops, streaming, limits, checks. */
class GeneratorTest {

    private static final String TEXT = "In the beginning God created the heaven and the earth.";
    private static final String PROMPT = "In the beginning";

    private final Tokenizer tokenizer = TokenizerFixture.tokenizer();
    private final List<String> pieces = new ArrayList<>();

    /** A runner that writes {@code text} (then EOS) whatever the prompt, through the fixture's tokens. */
    private ScriptedRunner runnerWriting(String text, int context) {
        return new ScriptedRunner(tokenizer.vocabSize(), context, List.of(END_OF_TEXT),
                ScriptedRunner.following(tokenizer.encode(text, true).ids(), END_OF_TEXT));
    }

    private static SamplingParams.Builder greedy() {
        return SamplingParams.builder();
    }

    private int[] tail(String text, int from) {
        int[] ids = tokenizer.encode(text, true).ids();
        return Arrays.copyOfRange(ids, from, ids.length);
    }

    @Test
    void greedyDecodingFollowsTheModelUntilEos() {
        ScriptedRunner runner = runnerWriting(TEXT, 512);
        GenerationResult result = new Generator(runner, tokenizer).generate(PROMPT, greedy().build(), pieces::add);

        int[] prompt = tokenizer.encode(PROMPT, true).ids();
        int[] expected = Arrays.copyOf(tail(TEXT, prompt.length), tail(TEXT, prompt.length).length + 1);
        expected[expected.length - 1] = END_OF_TEXT;
        assertArrayEquals(prompt, result.promptIds());
        assertArrayEquals(expected, result.generatedIds(), "the script, then EOS");
        assertEquals(FinishReason.EOS, result.finishReason());
        assertEquals(" God created the heaven and the earth.", result.text());
        assertEquals(result.text(), String.join("", pieces), "what was streamed is the text");
        assertEquals(OptionalLong.empty(), result.seed(), "greedy decoding draws nothing");
    }

    @Test
    void figuresCountPromptGeneratedAndDecodePasses() {
        ScriptedRunner runner = runnerWriting(TEXT, 512);
        GenerationResult result = new Generator(runner, tokenizer).generate(PROMPT, greedy().maxNewTokens(5).build(), pieces::add);
        GenerationStats stats = result.stats();
        assertEquals(result.promptIds().length, stats.promptTokens());
        assertEquals(0, stats.cachedTokens());
        assertEquals(5, stats.generatedTokens());
        assertEquals(4, stats.decodeSteps(), "the first token comes from the prefill");
        assertEquals(4, runner.decodeSteps);
        assertEquals(1, runner.prefills.size());
        assertTrue(stats.prefillNanos() > 0 && stats.decodeNanos() > 0);
        assertTrue(stats.prefillTokensPerSecond() > 0 && stats.decodeTokensPerSecond() > 0);
    }

    @Test
    void maxNewTokensEndsWithLength() {
        ScriptedRunner runner = runnerWriting(TEXT, 512);
        GenerationResult result = new Generator(runner, tokenizer).generate(PROMPT, greedy().maxNewTokens(3).build(), pieces::add);
        assertEquals(3, result.generatedIds().length);
        assertEquals(FinishReason.LENGTH, result.finishReason());
        assertEquals(tokenizer.decode(result.generatedIds(), true), result.text());
        assertEquals(" God created the", result.text());
    }

    @Test
    void theContextEndsGenerationWithLength() {
        int promptLength = tokenizer.encode(PROMPT, true).ids().length;
        ScriptedRunner runner = runnerWriting(TEXT, promptLength + 3);
        GenerationResult result = new Generator(runner, tokenizer).generate(PROMPT, greedy().build(), pieces::add);
        // positions P, P+1, P+2 are decoded; the token sampled after the last fits no position
        assertEquals(4, result.generatedIds().length);
        assertEquals(3, runner.decodeSteps);
        assertEquals(FinishReason.LENGTH, result.finishReason());
    }

    @Test
    void aStopStringEndsGenerationAndIsNotPrinted() {
        ScriptedRunner runner = runnerWriting(TEXT, 512);
        GenerationResult result = new Generator(runner, tokenizer)
                .generate(PROMPT, greedy().stopStrings(List.of("heaven")).build(), pieces::add);
        assertEquals(FinishReason.STOP_STRING, result.finishReason());
        assertEquals(" God created the ", result.text());
        assertEquals(result.text(), String.join("", pieces));
        assertTrue(pieces.stream().noneMatch(p -> p.contains("heav")), pieces.toString());
        // the token completing the stop string is the last one generated, as HF returns it
        assertEquals(" heaven", tokenizer.decode(new int[] {result.generatedIds()[result.generatedIds().length - 1]}, true));
    }

    @Test
    void aStopStringSpanningTokensIsHeldBackUntilDecided() {
        ScriptedRunner runner = runnerWriting(TEXT, 512);
        // " the heaven" spans three tokens; " the" alone must not be printed before "earth" rules the stop out
        GenerationResult result = new Generator(runner, tokenizer)
                .generate(PROMPT, greedy().stopStrings(List.of(" the earth")).build(), pieces::add);
        assertEquals(" God created the heaven and", result.text());
        assertEquals(result.text(), String.join("", pieces));
        assertEquals(FinishReason.STOP_STRING, result.finishReason());
    }

    @Test
    void stopTokensComeFromTheParametersAndFromTheModel() {
        int[] prompt = tokenizer.encode(PROMPT, true).ids();
        int godToken = tail(TEXT, prompt.length)[1];     // " created"
        ScriptedRunner runner = runnerWriting(TEXT, 512);
        GenerationResult result = new Generator(runner, tokenizer)
                .generate(PROMPT, greedy().stopTokenIds(List.of(godToken)).build(), pieces::add);
        assertEquals(FinishReason.EOS, result.finishReason());
        assertEquals(" God", result.text(), "the stop token itself is not printed");
        assertEquals(2, result.generatedIds().length);
    }

    @Test
    void multiByteCharactersSplitOverByteTokensAreNeverStreamedBroken() {
        String text = "In the beginning, café 🙂 naïve 日本語 end";
        ScriptedRunner runner = runnerWriting(text, 512);
        GenerationResult result = new Generator(runner, tokenizer).generate(PROMPT, greedy().build(), pieces::add);
        assertEquals(", café 🙂 naïve 日本語 end", result.text());
        assertEquals(result.text(), String.join("", pieces));
        for (String piece : pieces) {
            assertFalse(piece.contains("\uFFFD"), "replacement character in piece '" + piece + "'");
            assertFalse(Character.isLowSurrogate(piece.charAt(0)), "piece starts inside a surrogate pair: " + pieces);
            assertFalse(Character.isHighSurrogate(piece.charAt(piece.length() - 1)), "piece ends inside a pair: " + pieces);
        }
        assertTrue(pieces.size() > 3, "streamed in pieces, not at the end: " + pieces);
    }

    @Test
    void theSameSeedSamplesTheSameTokensAndAnotherSeedOthers() {
        // temperature 3 flattens the script's peak (10 → 3.3 over 0): sampling wanders off it
        SamplingParams.Builder hot = SamplingParams.builder().doSample(true).temperature(3).topK(0).maxNewTokens(24);
        int[] first = new Generator(runnerWriting(TEXT, 512), tokenizer).generate(PROMPT, hot.seed(11).build(), s -> { }).generatedIds();
        int[] again = new Generator(runnerWriting(TEXT, 512), tokenizer).generate(PROMPT, hot.seed(11).build(), s -> { }).generatedIds();
        GenerationResult other = new Generator(runnerWriting(TEXT, 512), tokenizer).generate(PROMPT, hot.seed(12).build(), s -> { });
        assertArrayEquals(first, again);
        assertNotEquals(Arrays.toString(first), Arrays.toString(other.generatedIds()));
        assertEquals(OptionalLong.of(12), other.seed());
    }

    @Test
    void anEmptyPromptIsRefused() {
        Generator generator = new Generator(runnerWriting(TEXT, 512), tokenizer);
        GenerationException e = assertThrows(GenerationException.class, () -> generator.generate("", greedy().build(), pieces::add));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void aPromptLongerThanTheContextIsRefusedInOneLine() {
        Generator generator = new Generator(runnerWriting(TEXT, 2), tokenizer);
        GenerationException e = assertThrows(GenerationException.class, () -> generator.generate(PROMPT, greedy().build(), pieces::add));
        assertEquals("the prompt is 3 tokens long, longer than the model's context of 2 tokens", e.getMessage());
    }

    @Test
    void aTokenOutsideTheModelsVocabularyIsRefused() {
        ScriptedRunner small = new ScriptedRunner(256, 512, List.of(END_OF_TEXT), seen -> 0);
        Generator generator = new Generator(small, tokenizer);
        GenerationException e = assertThrows(GenerationException.class, () -> generator.generate(PROMPT, greedy().build(), pieces::add));
        assertTrue(e.getMessage().contains("outside the model's vocabulary of 256"), e.getMessage());
    }

    @Test
    void theKvCacheIsSizedForTheRequestAndClosed() {
        ScriptedRunner runner = runnerWriting(TEXT, 512);
        new Generator(runner, tokenizer).generate(PROMPT, greedy().maxNewTokens(40).build(), pieces::add);
        assertEquals(1, runner.caches.size());
        assertEquals(2, runner.caches.get(0).spec().blocks(), "3 prompt + 40 new tokens in blocks of 32");
        assertTrue(runner.caches.get(0).closed);
    }
}
