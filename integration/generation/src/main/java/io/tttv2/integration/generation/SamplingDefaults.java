package io.tttv2.integration.generation;

import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.ConfigJson;
import io.tttv2.integration.hf.config.GenerationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A checkpoint's decoding defaults: its {@code generation_config.json} over HF's own defaults, as
 * {@code model.generate()} starts from them. {@code do_sample} false (or absent) means greedy.
 */
@ProviderType
public final class SamplingDefaults {

    public static final String FILE_NAME = "generation_config.json";

    private SamplingDefaults() {
    }

    /**
     * The defaults of the model in {@code modelDirectory}; HF's defaults if it has no generation_config.json.
     *
     * @throws ConfigFormatException one line naming the file and key of a malformed or out-of-range value
     */
    public static SamplingParams.Builder of(Path modelDirectory) {
        Path file = modelDirectory.resolve(FILE_NAME);
        return Files.isRegularFile(file) ? of(GenerationConfig.read(file)) : SamplingParams.builder();
    }

    /** The defaults a generation config gives; each value is range-checked against its key in the file. */
    public static SamplingParams.Builder of(GenerationConfig config) {
        ConfigJson json = config.json();
        SamplingParams.Builder b = SamplingParams.builder();
        config.doSample().ifPresent(b::doSample);
        set(json, "temperature", config.temperature(), v -> SamplingParams.checkTemperature(v), b::temperature);
        set(json, "top_k", config.topK(), SamplingParams::checkTopK, b::topK);
        set(json, "top_p", config.topP(), SamplingParams::checkTopP, b::topP);
        set(json, "min_p", config.minP(), SamplingParams::checkMinP, b::minP);
        set(json, "repetition_penalty", config.repetitionPenalty(), SamplingParams::checkRepetitionPenalty,
                b::repetitionPenalty);
        set(json, "max_new_tokens", config.maxNewTokens(), SamplingParams::checkMaxNewTokens, b::maxNewTokens);
        for (int id : config.eosTokenIds()) {
            if (id < 0) {
                throw json.error("eos_token_id", "expected token ids >= 0, found " + id);
            }
        }
        b.stopTokenIds(config.eosTokenIds());
        return b;
    }

    /** Checks a present value with {@code check} and hands it to {@code setter}; an error names file and key. */
    private static <T> void set(ConfigJson json, String key, Optional<T> value, Consumer<T> check, Consumer<T> setter) {
        if (value.isEmpty()) {
            return;
        }
        try {
            check.accept(value.get());
        } catch (InvalidSamplingParameterException e) {
            throw json.error(key, "expected " + e.expected() + ", found " + e.found());
        }
        setter.accept(value.get());
    }
}
