package io.tttv2.integration.generation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * How one sequence is decoded: HuggingFace's controls (with their names and defaults) plus OpenAI's presence
 * and frequency penalties. Every value is checked when the record is built; an out-of-range value is an
 * {@link InvalidSamplingParameterException} naming the parameter.
 *
 * @param doSample          sample from the distribution; false is greedy decoding (HF {@code do_sample})
 * @param temperature       divides the logits; 0 means greedy (≥ 0)
 * @param topK              keep the k most likely tokens, ties included; 0 keeps all (≥ 0)
 * @param topP              keep the smallest set of most likely tokens whose probability reaches p (in (0, 1])
 * @param minP              drop tokens less likely than minP × the top token's probability (in [0, 1])
 * @param repetitionPenalty HF's: logits of tokens in prompt or output divided (positive) or multiplied
 *                          (negative) by it; 1 is none (> 0)
 * @param presencePenalty   OpenAI's: subtracted once from the logit of every token already generated (in [-2, 2])
 * @param frequencyPenalty  OpenAI's: subtracted per occurrence of a token already generated (in [-2, 2])
 * @param seed              seeds the sequence's random generator: the same seed gives the same output; empty
 *                          for a random seed
 * @param maxNewTokens      the most tokens generated (> 0)
 * @param stopStrings       generation ends when the text reaches one of these; the stop string is not part of
 *                          the output
 * @param stopTokenIds      tokens that end generation (the EOS ids of {@code generation_config.json}; the
 *                          generator adds those of {@code config.json})
 */
@ProviderType
public record SamplingParams(boolean doSample, double temperature, int topK, double topP, double minP,
                             double repetitionPenalty, double presencePenalty, double frequencyPenalty,
                             OptionalLong seed, int maxNewTokens, List<String> stopStrings,
                             Set<Integer> stopTokenIds) {

    public static final String TEMPERATURE = "temperature";
    public static final String TOP_K = "top_k";
    public static final String TOP_P = "top_p";
    public static final String MIN_P = "min_p";
    public static final String REPETITION_PENALTY = "repetition_penalty";
    public static final String PRESENCE_PENALTY = "presence_penalty";
    public static final String FREQUENCY_PENALTY = "frequency_penalty";
    public static final String MAX_NEW_TOKENS = "max_new_tokens";
    public static final String STOP = "stop";
    public static final String EOS_TOKEN_ID = "eos_token_id";

    /** What {@code max_new_tokens} is when neither the checkpoint nor the caller says (HF's 20 is too short to read). */
    public static final int DEFAULT_MAX_NEW_TOKENS = 256;

    public SamplingParams {
        checkTemperature(temperature);
        checkTopK(topK);
        checkTopP(topP);
        checkMinP(minP);
        checkRepetitionPenalty(repetitionPenalty);
        checkOpenAiPenalty(PRESENCE_PENALTY, presencePenalty);
        checkOpenAiPenalty(FREQUENCY_PENALTY, frequencyPenalty);
        checkMaxNewTokens(maxNewTokens);
        stopStrings = List.copyOf(stopStrings);
        for (String stop : stopStrings) {
            if (stop.isEmpty()) {
                throw new InvalidSamplingParameterException(STOP, "a non-empty string", "\"\"");
            }
        }
        stopTokenIds = Set.copyOf(stopTokenIds);
        for (int id : stopTokenIds) {
            if (id < 0) {
                throw new InvalidSamplingParameterException(EOS_TOKEN_ID, "token ids >= 0", Integer.toString(id));
            }
        }
    }

    /** Greedy decoding: {@code do_sample} off, or a temperature of 0 (as OpenAI's API reads it). */
    public boolean greedy() {
        return !doSample || temperature == 0;
    }

    /** HF's defaults: greedy, temperature 1, top-k 50, top-p 1, no min-p, no penalties, no stop strings. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().doSample(doSample).temperature(temperature).topK(topK).topP(topP).minP(minP)
                .repetitionPenalty(repetitionPenalty).presencePenalty(presencePenalty)
                .frequencyPenalty(frequencyPenalty).maxNewTokens(maxNewTokens).stopStrings(stopStrings)
                .stopTokenIds(stopTokenIds);
        seed.ifPresent(b::seed);
        return b;
    }

    // ---- the ranges, one check each, shared with readers of files and options --------------------------

    public static void checkTemperature(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InvalidSamplingParameterException(TEMPERATURE, "a number >= 0 (0 is greedy)", format(value));
        }
    }

    public static void checkTopK(int value) {
        if (value < 0) {
            throw new InvalidSamplingParameterException(TOP_K, "an integer >= 0 (0 keeps every token)", Integer.toString(value));
        }
    }

    public static void checkTopP(double value) {
        if (!(value > 0 && value <= 1)) {
            throw new InvalidSamplingParameterException(TOP_P, "a number in (0, 1]", format(value));
        }
    }

    public static void checkMinP(double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new InvalidSamplingParameterException(MIN_P, "a number in [0, 1]", format(value));
        }
    }

    public static void checkRepetitionPenalty(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidSamplingParameterException(REPETITION_PENALTY, "a number > 0 (1 is no penalty)", format(value));
        }
    }

    public static void checkOpenAiPenalty(String parameter, double value) {
        if (!(value >= -2 && value <= 2)) {
            throw new InvalidSamplingParameterException(parameter, "a number in [-2, 2]", format(value));
        }
    }

    public static void checkMaxNewTokens(int value) {
        if (value <= 0) {
            throw new InvalidSamplingParameterException(MAX_NEW_TOKENS, "an integer > 0", Integer.toString(value));
        }
    }

    /** A number as a person wrote it: {@code -1}, not {@code -1.0}. */
    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Collects values; {@link #build()} checks them. */
    public static final class Builder {
        private boolean doSample;
        private double temperature = 1.0;
        private int topK = 50;
        private double topP = 1.0;
        private double minP;
        private double repetitionPenalty = 1.0;
        private double presencePenalty;
        private double frequencyPenalty;
        private OptionalLong seed = OptionalLong.empty();
        private int maxNewTokens = DEFAULT_MAX_NEW_TOKENS;
        private final List<String> stopStrings = new ArrayList<>();
        private final Set<Integer> stopTokenIds = new LinkedHashSet<>();

        private Builder() {
        }

        public Builder doSample(boolean value) {
            doSample = value;
            return this;
        }

        public Builder temperature(double value) {
            temperature = value;
            return this;
        }

        public Builder topK(int value) {
            topK = value;
            return this;
        }

        public Builder topP(double value) {
            topP = value;
            return this;
        }

        public Builder minP(double value) {
            minP = value;
            return this;
        }

        public Builder repetitionPenalty(double value) {
            repetitionPenalty = value;
            return this;
        }

        public Builder presencePenalty(double value) {
            presencePenalty = value;
            return this;
        }

        public Builder frequencyPenalty(double value) {
            frequencyPenalty = value;
            return this;
        }

        public Builder seed(long value) {
            seed = OptionalLong.of(value);
            return this;
        }

        public Builder maxNewTokens(int value) {
            maxNewTokens = value;
            return this;
        }

        /** Replaces the stop strings. */
        public Builder stopStrings(List<String> values) {
            stopStrings.clear();
            stopStrings.addAll(values);
            return this;
        }

        /** Adds tokens that end generation. */
        public Builder stopTokenIds(Iterable<Integer> ids) {
            ids.forEach(stopTokenIds::add);
            return this;
        }

        /** @throws InvalidSamplingParameterException naming the first value out of range */
        public SamplingParams build() {
            return new SamplingParams(doSample, temperature, topK, topP, minP, repetitionPenalty, presencePenalty,
                    frequencyPenalty, seed, maxNewTokens, stopStrings, stopTokenIds);
        }
    }
}
