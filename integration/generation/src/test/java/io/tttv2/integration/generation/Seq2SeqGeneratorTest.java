package io.tttv2.integration.generation;

import static io.tttv2.integration.generation.TokenizerFixture.END_OF_TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Module;
import io.tttv2.api.runner.DecoderRequest;
import io.tttv2.api.runner.EncodedInput;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.ForwardObserver;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.PrefillRequest;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Generation with an encoder–decoder over a scripted runner: the prompt goes to the encoder once, the decoder
 * starts from the start token and writes its own text (not a continuation of the prompt) until EOS.
 */
class Seq2SeqGeneratorTest {

    private static final int START = 7;
    private final Tokenizer tokenizer = TokenizerFixture.tokenizer();

    /** The scripted decoder writes {@code target} after the start token, then EOS; it records what was encoded. */
    private final class ScriptedSeq2Seq implements EncoderDecoderRunner {
        final int[] target = tokenizer.encode(" And God said", true).ids();
        final ScriptedRunner decoder = new ScriptedRunner(tokenizer.vocabSize(), 64, List.of(END_OF_TEXT),
                seen -> seen.length - 1 < target.length ? target[seen.length - 1] : END_OF_TEXT);
        final List<int[]> encoded = new ArrayList<>();
        final List<EncodedInput> inputs = new ArrayList<>();

        @Override
        public ModelInfo info() {
            return decoder.info();
        }

        @Override
        public int decoderStartTokenId() {
            return START;
        }

        @Override
        public PagedKvCache allocateKvCache(int blocks, int blockSize) {
            return decoder.allocateKvCache(blocks, blockSize);
        }

        @Override
        public EncodedInput encode(int[] inputIds, ForwardObserver observer) {
            encoded.add(inputIds.clone());
            EncodedInput input = new EncodedInput() {
                @Override
                public Tensor lastHiddenState() {
                    return Tensor.of(new float[inputIds.length], inputIds.length, 1);
                }

                @Override
                public void close() {
                }
            };
            inputs.add(input);
            return input;
        }

        @Override
        public void prefill(PagedKvCache cache, List<DecoderRequest> requests, Tensor lastLogits) {
            requests.forEach(r -> assertSame(inputs.get(inputs.size() - 1), r.encoded(), "the request's own encoding"));
            decoder.prefill(cache, requests.stream().map(r -> new PrefillRequest(r.tokens(), r.table(), null)).toList(),
                    lastLogits);
        }

        @Override
        public void decode(PagedKvCache cache, int[] tokens, BlockTable[] tables, EncodedInput[] encodedInputs,
                           Tensor logits) {
            for (EncodedInput e : encodedInputs) {
                assertSame(inputs.get(inputs.size() - 1), e, "every step attends to the request's encoding");
            }
            decoder.decode(cache, tokens, tables, logits);
        }

        @Override
        public Map<String, Module> modules() {
            return Map.of();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void encodesThePromptOnceThenDecodesFromTheStartTokenUntilEos() {
        ScriptedSeq2Seq runner = new ScriptedSeq2Seq();
        List<String> pieces = new ArrayList<>();
        Seq2SeqGenerator generator = new Seq2SeqGenerator(runner, tokenizer);
        int[] prompt = generator.encode("In the beginning");
        GenerationResult result = generator.generate(prompt, SamplingParams.builder().build(), pieces::add);

        assertEquals(1, runner.encoded.size(), "the encoder runs once per request");
        assertArrayEquals(tokenizer.encode("In the beginning", true).ids(), runner.encoded.get(0));
        assertArrayEquals(new int[] {START}, runner.decoder.prefills.get(0), "the decoder starts from its start token");
        int[] expected = Arrays.copyOf(runner.target, runner.target.length + 1);
        expected[expected.length - 1] = END_OF_TEXT;
        assertArrayEquals(expected, result.generatedIds());
        assertEquals(FinishReason.EOS, result.finishReason());
        assertEquals(" And God said", result.text(), "the decoder's own text, not a continuation of the prompt");
        assertEquals(result.text(), String.join("", pieces));
        assertEquals(runner.target.length, runner.decoder.decodeSteps, "every token before EOS is fed back");
    }

    @Test
    void maxNewTokensEndsTheOutput() {
        ScriptedSeq2Seq runner = new ScriptedSeq2Seq();
        Seq2SeqGenerator generator = new Seq2SeqGenerator(runner, tokenizer);
        GenerationResult result = generator.generate(generator.encode("In the beginning"),
                SamplingParams.builder().maxNewTokens(2).build(), piece -> { });
        assertArrayEquals(Arrays.copyOf(runner.target, 2), result.generatedIds());
        assertEquals(FinishReason.LENGTH, result.finishReason());
    }

    @Test
    void anEmptyPromptIsRefused() {
        GenerationException e = assertThrows(GenerationException.class,
                () -> new Seq2SeqGenerator(new ScriptedSeq2Seq(), tokenizer).encode(""));
        assertEquals("the prompt is empty: expected text to transform", e.getMessage());
    }
}
