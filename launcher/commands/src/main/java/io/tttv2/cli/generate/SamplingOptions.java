package io.tttv2.cli.generate;

import io.tttv2.cli.UserError;
import io.tttv2.integration.generation.InvalidSamplingParameterException;
import io.tttv2.integration.generation.SamplingDefaults;
import io.tttv2.integration.generation.SamplingParams;
import io.tttv2.integration.hf.config.ConfigFormatException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The sampling options {@code generate} and {@code chat} share (a picocli mixin). Unset options keep the
 * checkpoint's {@code generation_config.json} defaults; any of temperature, top-k, top-p, min-p or seed
 * turns sampling on, {@code --greedy} turns it off.
 */
public final class SamplingOptions {

    /** HF parameter → the option that sets it, for error messages. */
    private static final Map<String, String> OPTIONS = Map.of(
            SamplingParams.TEMPERATURE, "--temperature",
            SamplingParams.TOP_K, "--top-k",
            SamplingParams.TOP_P, "--top-p",
            SamplingParams.MIN_P, "--min-p",
            SamplingParams.REPETITION_PENALTY, "--repetition-penalty",
            SamplingParams.PRESENCE_PENALTY, "--presence-penalty",
            SamplingParams.FREQUENCY_PENALTY, "--frequency-penalty",
            SamplingParams.MAX_NEW_TOKENS, "--max-tokens",
            SamplingParams.STOP, "--stop");

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Most tokens to generate (default: max_new_tokens of generation_config.json, else "
                    + SamplingParams.DEFAULT_MAX_NEW_TOKENS + ").")
    Integer maxTokens;

    @Option(names = "--greedy", description = "Always pick the most likely token (overrides the sampling options).")
    boolean greedy;

    @Option(names = "--temperature", paramLabel = "T", description = "Divide the logits by T >= 0 (0 is greedy); implies sampling.")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample from the K most likely tokens (0: all); implies sampling.")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Sample from the most likely tokens reaching probability P in (0, 1]; implies sampling.")
    Double topP;

    @Option(names = "--min-p", paramLabel = "P", description = "Drop tokens less likely than P in [0, 1] times the top token; implies sampling.")
    Double minP;

    @Option(names = "--repetition-penalty", paramLabel = "R",
            description = "HF's repetition penalty R > 0 over prompt and output tokens (1: none).")
    Double repetitionPenalty;

    @Option(names = "--presence-penalty", paramLabel = "P", description = "OpenAI's presence penalty in [-2, 2] (0: none).")
    Double presencePenalty;

    @Option(names = "--frequency-penalty", paramLabel = "F", description = "OpenAI's frequency penalty in [-2, 2] (0: none).")
    Double frequencyPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the random draws: the same seed gives the same text; implies sampling.")
    Long seed;

    @Option(names = "--stop", paramLabel = "STR", description = "Stop when the text reaches STR (not printed); repeatable.")
    List<String> stop;

    /**
     * The checkpoint's defaults with these options over them.
     *
     * @throws UserError exit code 1 for a malformed generation_config.json, 2 for an option out of range
     */
    public SamplingParams resolve(Path modelDirectory) {
        SamplingParams.Builder b;
        try {
            b = SamplingDefaults.of(modelDirectory);
        } catch (ConfigFormatException e) {
            throw new UserError(e.getMessage());
        }
        if (temperature != null || topK != null || topP != null || minP != null || seed != null) {
            b.doSample(true);
        }
        if (greedy) {
            b.doSample(false);
        }
        if (maxTokens != null) {
            b.maxNewTokens(maxTokens);
        }
        if (temperature != null) {
            b.temperature(temperature);
        }
        if (topK != null) {
            b.topK(topK);
        }
        if (topP != null) {
            b.topP(topP);
        }
        if (minP != null) {
            b.minP(minP);
        }
        if (repetitionPenalty != null) {
            b.repetitionPenalty(repetitionPenalty);
        }
        if (presencePenalty != null) {
            b.presencePenalty(presencePenalty);
        }
        if (frequencyPenalty != null) {
            b.frequencyPenalty(frequencyPenalty);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (stop != null) {
            b.stopStrings(stop);
        }
        try {
            return b.build();
        } catch (InvalidSamplingParameterException e) {
            // only option values can be out of range here: SamplingDefaults checked the file's
            String option = OPTIONS.getOrDefault(e.parameter(), e.parameter());
            throw new UserError(option + ": expected " + e.expected() + ", found " + e.found(), 2, e);
        }
    }
}
