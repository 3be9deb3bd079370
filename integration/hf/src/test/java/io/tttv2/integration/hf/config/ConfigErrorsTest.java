package io.tttv2.integration.hf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-written config.json files: transformers' fallbacks, the other RoPE spellings, and one-line errors. */
class ConfigErrorsTest {
    private static final String BASE = """
            "model_type": "llama", "vocab_size": 256, "hidden_size": 64, "intermediate_size": 128,
            "num_hidden_layers": 2, "num_attention_heads": 4""";

    @TempDir
    Path tmp;

    private Path file;

    private Path config(String extraKeys) throws IOException {
        file = tmp.resolve("config.json");
        Files.writeString(file, "{" + BASE + (extraKeys.isEmpty() ? "" : ", " + extraKeys) + "}");
        return file;
    }

    private String refusal() {
        return assertThrows(ConfigFormatException.class, () -> HfConfig.read(file)).getMessage();
    }

    @Test
    void missingRequiredKeyIsNamed() throws IOException {
        file = tmp.resolve("config.json");
        Files.writeString(file, "{\"model_type\": \"llama\", \"vocab_size\": 256, \"num_hidden_layers\": 2,"
                + " \"num_attention_heads\": 4, \"intermediate_size\": 128}");
        assertEquals(file + ": missing required key 'hidden_size'", refusal());
    }

    @Test
    void wrongTypeIsNamedWithTheValueFound() throws IOException {
        file = tmp.resolve("config.json");
        Files.writeString(file, "{" + BASE.replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": \"two\"") + "}");
        assertEquals(file + ": key 'num_hidden_layers' expected an integer, found \"two\"", refusal());
    }

    @Test
    void nullForARequiredKey() throws IOException {
        file = tmp.resolve("config.json");
        Files.writeString(file, "{" + BASE.replace("\"vocab_size\": 256", "\"vocab_size\": null") + "}");
        assertEquals(file + ": key 'vocab_size' expected an integer, found null", refusal());
    }

    @Test
    void nonPositiveSizes() throws IOException {
        config("\"num_key_value_heads\": 0");
        assertEquals(file + ": key 'num_key_value_heads' expected a positive integer, found 0", refusal());
    }

    @Test
    void fractionalInteger() throws IOException {
        config("\"max_position_embeddings\": 2.5");
        assertEquals(file + ": key 'max_position_embeddings' expected an integer, found 2.5", refusal());
    }

    @Test
    void fallbacksOfTransformers() throws IOException {
        config("");
        HfConfig c = HfConfig.read(file);
        assertEquals(4, c.numKeyValueHeads());
        assertEquals(16, c.headDim());
        assertEquals(List.of(), c.eosTokenIds());
        assertEquals(Map.of(), c.ropeParameters());
        // no RoPE stated at all: transformers' default base
        assertEquals(RopeParameters.plain(10_000.0, 1.0), c.rope());
        assertTrue(c.tieWordEmbeddings());
    }

    @Test
    void headDimCannotBeDerivedFromIndivisibleSizes() throws IOException {
        file = tmp.resolve("config.json");
        Files.writeString(file, "{" + BASE.replace("\"num_attention_heads\": 4", "\"num_attention_heads\": 5") + "}");
        assertEquals(file + ": key 'head_dim' is absent, and hidden_size 64 is not divisible by 'num_attention_heads' 5:"
                + " expected head_dim, found none", refusal());
    }

    @Test
    void eosAsAList() throws IOException {
        config("\"eos_token_id\": [128001, 128008, 128009]");
        HfConfig c = HfConfig.read(file);
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertEquals(Optional.of(128001), c.eosTokenId());
    }

    @Test
    void eosOfTheWrongType() throws IOException {
        config("\"eos_token_id\": [1, \"two\"]");
        assertEquals(file + ": key 'eos_token_id' expected an integer or a list of integers, found [1,\"two\"]", refusal());
    }

    @Test
    void legacyRopeScalingWithType() throws IOException {
        config("\"rope_theta\": 1000000, \"rope_scaling\": {\"type\": \"linear\", \"factor\": 4.0}");
        RopeParameters r = HfConfig.read(file).rope();
        assertEquals(RopeType.LINEAR, r.ropeType());
        assertEquals(1_000_000.0, r.theta());
        assertEquals(Optional.of(4.0), r.factor());
    }

    @Test
    void legacyThetaWithoutScaling() throws IOException {
        config("\"rope_theta\": 500000.0, \"rope_scaling\": null");
        assertEquals(RopeParameters.plain(500_000.0, 1.0), HfConfig.read(file).rope());
    }

    @Test
    void yarnWithDeepSeekKeys() throws IOException {
        config("\"rope_parameters\": {\"rope_type\": \"yarn\", \"rope_theta\": 10000, \"factor\": 40,"
                + " \"original_max_position_embeddings\": 4096, \"beta_fast\": 32, \"beta_slow\": 1, \"mscale\": 1.0,"
                + " \"mscale_all_dim\": 1.0, \"truncate\": false}");
        RopeParameters r = HfConfig.read(file).rope();
        assertEquals(RopeType.YARN, r.ropeType());
        assertEquals(Optional.of(40.0), r.factor());
        assertEquals(Optional.of(4096), r.originalMaxPositionEmbeddings());
        assertEquals(Optional.of(32.0), r.betaFast());
        assertEquals(Optional.of(1.0), r.betaSlow());
        assertEquals(Optional.of(1.0), r.mscale());
        assertEquals(Optional.of(1.0), r.mscaleAllDim());
        assertEquals(Optional.of(false), r.truncate());
        assertEquals(Optional.empty(), r.attentionFactor());
    }

    @Test
    void phi3LegacyLongRopeSpelledSu() throws IOException {
        config("\"original_max_position_embeddings\": 4096, \"partial_rotary_factor\": 0.5,"
                + " \"rope_scaling\": {\"type\": \"su\", \"short_factor\": [1.0, 1.5], \"long_factor\": [2.0, 3.0]}");
        RopeParameters r = HfConfig.read(file).rope();
        assertEquals(RopeType.LONGROPE, r.ropeType());
        assertEquals(List.of(1.0, 1.5), r.shortFactor());
        assertEquals(List.of(2.0, 3.0), r.longFactor());
        assertEquals(Optional.of(4096), r.originalMaxPositionEmbeddings()); // from the top level
        assertEquals(0.5, r.partialRotaryFactor());
        assertEquals(RopeParameters.DEFAULT_THETA, r.theta());
    }

    @Test
    void gemma3LegacyLocalBase() throws IOException {
        config("\"layer_types\": [\"sliding_attention\", \"full_attention\"], \"rope_theta\": 1000000,"
                + " \"rope_local_base_freq\": 10000, \"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 8.0}");
        HfConfig c = HfConfig.read(file);
        assertEquals(RopeType.LINEAR, c.rope("full_attention").ropeType());
        assertEquals(1_000_000.0, c.rope("full_attention").theta());
        assertEquals(RopeParameters.plain(10_000.0, 1.0), c.rope("sliding_attention"));
    }

    @Test
    void unknownRopeType() throws IOException {
        config("\"rope_parameters\": {\"rope_type\": \"spiral\", \"rope_theta\": 10000}");
        assertEquals(file + ": key 'rope_parameters.rope_type' expected one of default, linear, dynamic, yarn, longrope,"
                + " llama3, found \"spiral\"", refusal());
    }

    @Test
    void llama3WithoutItsFrequencyFactors() throws IOException {
        config("\"rope_parameters\": {\"rope_type\": \"llama3\", \"rope_theta\": 500000, \"factor\": 8,"
                + " \"high_freq_factor\": 4, \"original_max_position_embeddings\": 8192}");
        assertEquals(file + ": missing required key 'rope_parameters.low_freq_factor' (needed by rope_type 'llama3')",
                refusal());
    }

    @Test
    void legacyScalingWithoutFactor() throws IOException {
        config("\"rope_scaling\": {\"rope_type\": \"dynamic\"}");
        assertEquals(file + ": missing required key 'rope_scaling.factor' (needed by rope_type 'dynamic')", refusal());
    }

    @Test
    void ropePerLayerTypeMustCoverEveryLayerType() throws IOException {
        config("\"layer_types\": [\"sliding_attention\", \"full_attention\"],"
                + " \"rope_parameters\": {\"full_attention\": {\"rope_type\": \"default\", \"rope_theta\": 1e6}}");
        assertEquals(file + ": key 'rope_parameters' expected parameters for layer type 'sliding_attention' (used in"
                + " 'layer_types'), found none", refusal());
    }

    @Test
    void ropeParametersOfTheWrongShape() throws IOException {
        config("\"rope_parameters\": {\"factor\": 2}");
        assertEquals(file + ": key 'rope_parameters' expected an object with rope_type and rope_theta, or one such object"
                + " per layer type, found {\"factor\":2}", refusal());
    }

    @Test
    void partialRotaryFactorOutOfRange() throws IOException {
        config("\"partial_rotary_factor\": 1.5");
        assertEquals(file + ": key 'partial_rotary_factor' expected a fraction in (0, 1], found 1.5", refusal());
    }

    @Test
    void layerTypesOfTheWrongLength() throws IOException {
        config("\"layer_types\": [\"full_attention\"]");
        assertEquals(file + ": key 'layer_types' expected 2 entries (num_hidden_layers), found 1", refusal());
    }

    @Test
    void notJsonNotAnObjectMissingFileAndDuplicateKeys() throws IOException {
        file = tmp.resolve("config.json");
        Files.writeString(file, "{\"hidden_size\": 64,");
        String m = refusal();
        assertTrue(m.startsWith(file + ": expected a JSON object, found invalid JSON ("), m);
        assertTrue(!m.contains("\n"), m);

        Files.writeString(file, "[1, 2]");
        assertEquals(file + ": expected a JSON object, found [1,2]", refusal());

        Files.writeString(file, "");
        assertEquals(file + ": expected a JSON object, found an empty file", refusal());

        Files.writeString(file, "{" + BASE + ", \"hidden_size\": 128}");
        m = refusal();
        assertTrue(m.startsWith(file + ": expected a JSON object, found invalid JSON (Duplicate"), m);
        assertTrue(m.contains("hidden_size"), m);

        Path missing = tmp.resolve("absent.json");
        assertEquals(missing + ": cannot be read (no such file)",
                assertThrows(ConfigFormatException.class, () -> HfConfig.read(missing)).getMessage());
    }

    @Test
    void unknownKeysAreIgnoredButKeptInTheRawTree() throws IOException {
        config("\"my_new_idea\": {\"depth\": 3}");
        HfConfig c = HfConfig.read(file);
        assertEquals(3, c.raw().get("my_new_idea").get("depth").intValue());
        assertEquals(3, c.json().optionalObject("my_new_idea").orElseThrow().requireInt("depth"));
    }

    @Test
    void nestedKeysAreNamedWithTheirPath() throws IOException {
        config("\"my_block\": {\"depth\": \"deep\"}");
        ConfigJson block = HfConfig.read(file).json().optionalObject("my_block").orElseThrow();
        assertEquals(file + ": key 'my_block.depth' expected an integer, found \"deep\"",
                assertThrows(ConfigFormatException.class, () -> block.requireInt("depth")).getMessage());
        assertEquals(file + ": missing required key 'my_block.width'",
                assertThrows(ConfigFormatException.class, () -> block.requireInt("width")).getMessage());
    }
}
