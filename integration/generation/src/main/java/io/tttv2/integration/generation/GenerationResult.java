package io.tttv2.integration.generation;

import java.util.Arrays;
import java.util.OptionalLong;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One finished generation.
 *
 * @param promptIds    [P] the prompt's tokens (for a chat turn, the rendered conversation)
 * @param generatedIds [N] the tokens produced, including the one that ended generation (an EOS token, or the
 *                     token completing a stop string), as HuggingFace's {@code generate} returns them
 * @param text         the text streamed: the generated tokens decoded, without the EOS token, without the stop
 *                     string and what followed it
 * @param finishReason why generation stopped
 * @param seed         the random generator's seed when sampling; empty for greedy decoding
 * @param stats        token counts and timings
 */
@ProviderType
public record GenerationResult(int[] promptIds, int[] generatedIds, String text, FinishReason finishReason,
                               OptionalLong seed, GenerationStats stats) {

    public GenerationResult {
        promptIds = promptIds.clone();
        generatedIds = generatedIds.clone();
    }

    @Override
    public int[] promptIds() {
        return promptIds.clone();
    }

    @Override
    public int[] generatedIds() {
        return generatedIds.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GenerationResult r && Arrays.equals(promptIds, r.promptIds)
                && Arrays.equals(generatedIds, r.generatedIds) && text.equals(r.text)
                && finishReason == r.finishReason && seed.equals(r.seed) && stats.equals(r.stats);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(promptIds) + Arrays.hashCode(generatedIds)) + text.hashCode();
    }

    @Override
    public String toString() {
        return "GenerationResult[" + promptIds.length + " prompt tokens, generated " + Arrays.toString(generatedIds)
                + ", " + finishReason.id() + ", text=\"" + text + "\"]";
    }
}
