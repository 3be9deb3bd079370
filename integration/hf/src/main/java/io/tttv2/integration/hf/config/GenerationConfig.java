package io.tttv2.integration.hf.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A HuggingFace {@code generation_config.json}: the decoding defaults a checkpoint ships with. Every key is
 * optional; the sampler applies its own defaults to what is absent.
 *
 * @param doSample             {@code do_sample}: sample instead of greedy decoding
 * @param temperature          {@code temperature}
 * @param topK                 {@code top_k}
 * @param topP                 {@code top_p}
 * @param minP                 {@code min_p}
 * @param repetitionPenalty    {@code repetition_penalty}
 * @param maxNewTokens         {@code max_new_tokens}
 * @param maxLength            {@code max_length} (prompt + new tokens)
 * @param bosTokenId           {@code bos_token_id}
 * @param eosTokenIds          {@code eos_token_id}, one id or several; empty if absent or null
 * @param padTokenId           {@code pad_token_id}
 * @param decoderStartTokenId  {@code decoder_start_token_id} (encoder–decoder models)
 * @param json                 the whole file, for other keys
 */
@ProviderType
public record GenerationConfig(
        Optional<Boolean> doSample,
        Optional<Double> temperature,
        Optional<Integer> topK,
        Optional<Double> topP,
        Optional<Double> minP,
        Optional<Double> repetitionPenalty,
        Optional<Integer> maxNewTokens,
        Optional<Integer> maxLength,
        Optional<Integer> bosTokenId,
        List<Integer> eosTokenIds,
        Optional<Integer> padTokenId,
        Optional<Integer> decoderStartTokenId,
        ConfigJson json) {

    public GenerationConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /**
     * Reads a generation_config.json.
     *
     * @throws ConfigFormatException naming the file and key: {@code generation_config.json: key 'top_k' expected an integer, found 0.5}
     */
    public static GenerationConfig read(Path generationConfigJson) {
        return of(ConfigJson.read(generationConfigJson));
    }

    /** The configuration of a checkpoint without generation_config.json: every value absent. */
    public static GenerationConfig none(Path wouldBeFile) {
        return of(ConfigJson.of(wouldBeFile, JsonNodeFactory.instance.objectNode()));
    }

    private static GenerationConfig of(ConfigJson json) {
        return new GenerationConfig(
                json.optionalBoolean("do_sample"),
                json.optionalDouble("temperature"),
                json.optionalInt("top_k"),
                json.optionalDouble("top_p"),
                json.optionalDouble("min_p"),
                json.optionalDouble("repetition_penalty"),
                json.optionalInt("max_new_tokens"),
                json.optionalInt("max_length"),
                json.optionalInt("bos_token_id"),
                json.intOrIntList("eos_token_id"),
                json.optionalInt("pad_token_id"),
                json.optionalInt("decoder_start_token_id"),
                json);
    }

    /** The raw JSON tree. */
    public JsonNode raw() {
        return json.raw();
    }
}
