package io.tttv2.integration.generation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SamplingParamsTest {

    private static InvalidSamplingParameterException invalid(UnaryOperator<SamplingParams.Builder> change) {
        return assertThrows(InvalidSamplingParameterException.class, () -> change.apply(SamplingParams.builder()).build());
    }

    @Test
    void defaultsAreHuggingFaces() {
        SamplingParams p = SamplingParams.builder().build();
        assertFalse(p.doSample());
        assertTrue(p.greedy());
        assertEquals(1.0, p.temperature());
        assertEquals(50, p.topK());
        assertEquals(1.0, p.topP());
        assertEquals(0.0, p.minP());
        assertEquals(1.0, p.repetitionPenalty());
        assertEquals(0.0, p.presencePenalty());
        assertEquals(0.0, p.frequencyPenalty());
        assertEquals(OptionalLong.empty(), p.seed());
        assertEquals(SamplingParams.DEFAULT_MAX_NEW_TOKENS, p.maxNewTokens());
        assertEquals(List.of(), p.stopStrings());
        assertEquals(Set.of(), p.stopTokenIds());
    }

    @Test
    void eachValueOutOfRangeIsOneLineNamingTheParameterTheRangeAndTheValue() {
        assertEquals("temperature: expected a number >= 0 (0 is greedy), found -0.5", invalid(b -> b.temperature(-0.5)).getMessage());
        assertEquals("top_k: expected an integer >= 0 (0 keeps every token), found -1", invalid(b -> b.topK(-1)).getMessage());
        assertEquals("top_p: expected a number in (0, 1], found 1.5", invalid(b -> b.topP(1.5)).getMessage());
        assertEquals("top_p: expected a number in (0, 1], found 0", invalid(b -> b.topP(0)).getMessage());
        assertEquals("min_p: expected a number in [0, 1], found -0.1", invalid(b -> b.minP(-0.1)).getMessage());
        assertEquals("repetition_penalty: expected a number > 0 (1 is no penalty), found 0",
                invalid(b -> b.repetitionPenalty(0)).getMessage());
        assertEquals("presence_penalty: expected a number in [-2, 2], found 2.5", invalid(b -> b.presencePenalty(2.5)).getMessage());
        assertEquals("frequency_penalty: expected a number in [-2, 2], found -3", invalid(b -> b.frequencyPenalty(-3)).getMessage());
        assertEquals("max_new_tokens: expected an integer > 0, found 0", invalid(b -> b.maxNewTokens(0)).getMessage());
        assertEquals("stop: expected a non-empty string, found \"\"", invalid(b -> b.stopStrings(List.of(""))).getMessage());
        assertEquals("eos_token_id: expected token ids >= 0, found -1", invalid(b -> b.stopTokenIds(List.of(-1))).getMessage());
    }

    @Test
    void notANumberIsOutOfEveryRange() {
        assertEquals("temperature", invalid(b -> b.temperature(Double.NaN)).parameter());
        assertEquals("top_p", invalid(b -> b.topP(Double.NaN)).parameter());
        assertEquals("min_p", invalid(b -> b.minP(Double.NaN)).parameter());
        assertEquals("repetition_penalty", invalid(b -> b.repetitionPenalty(Double.NaN)).parameter());
        assertEquals("NaN", invalid(b -> b.presencePenalty(Double.NaN)).found());
    }

    @Test
    void theEdgesOfEachRangeAreAccepted() {
        assertDoesNotThrow(() -> SamplingParams.builder().temperature(0).topK(0).topP(1).minP(1).repetitionPenalty(0.01)
                .presencePenalty(-2).frequencyPenalty(2).maxNewTokens(1).build());
        assertDoesNotThrow(() -> SamplingParams.builder().topP(1e-9).minP(0).presencePenalty(2).frequencyPenalty(-2).build());
    }

    @Test
    void toBuilderKeepsEveryValue() {
        SamplingParams p = SamplingParams.builder().doSample(true).temperature(0.7).topK(20).topP(0.9).minP(0.05)
                .repetitionPenalty(1.1).presencePenalty(0.3).frequencyPenalty(0.2).seed(5).maxNewTokens(9)
                .stopStrings(List.of("\n\n")).stopTokenIds(List.of(2, 7)).build();
        assertEquals(p, p.toBuilder().build());
        assertFalse(p.greedy());
    }
}
