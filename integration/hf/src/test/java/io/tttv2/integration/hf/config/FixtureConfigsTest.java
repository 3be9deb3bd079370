package io.tttv2.integration.hf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.integration.hf.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture's config.json and generation_config.json parse, with the values the files state. */
class FixtureConfigsTest {

    private static HfConfig config(String fixture) {
        return HfConfig.read(Fixtures.model(fixture).resolve("config.json"));
    }

    @ParameterizedTest
    @MethodSource("io.tttv2.integration.hf.testing.Fixtures#modelStream")
    void everyFixtureConfigParsesIntoTheSharedShape(Path dir) {
        HfConfig c = HfConfig.read(dir.resolve("config.json"));
        // every fixture is hidden 64, 2 layers, 4 heads, vocab 256 (fixtures/README.md)
        assertEquals(64, c.hiddenSize(), dir.toString());
        assertEquals(2, c.numHiddenLayers());
        assertEquals(4, c.numAttentionHeads());
        assertEquals(256, c.vocabSize());
        assertTrue(c.intermediateSize() > 0);
        assertEquals(c.raw().get("model_type").textValue(), c.modelType());
        assertEquals(1, c.architectures().size());
        assertEquals(dir.resolve("config.json"), c.file());
    }

    /** transformers derives generation_config.json from the model config: the token ids must agree. */
    @ParameterizedTest
    @MethodSource("io.tttv2.integration.hf.testing.Fixtures#modelStream")
    void everyFixtureGenerationConfigParsesAndAgreesWithItsConfig(Path dir) {
        Path file = dir.resolve("generation_config.json");
        if (dir.getFileName().toString().equals("bert")) {
            assertFalse(Files.exists(file)); // an encoder: nothing to generate
            return;
        }
        GenerationConfig g = GenerationConfig.read(file);
        HfConfig c = HfConfig.read(dir.resolve("config.json"));
        assertFalse(g.eosTokenIds().isEmpty(), dir.toString());
        assertEquals(c.eosTokenIds(), g.eosTokenIds(), dir.toString());
        assertEquals(c.bosTokenId(), g.bosTokenId(), dir.toString());
        assertEquals(c.padTokenId(), g.padTokenId(), dir.toString());
        assertEquals(Optional.empty(), g.temperature());
    }

    @Test
    void llama() {
        HfConfig c = config("llama");
        assertEquals(List.of("LlamaForCausalLM"), c.architectures());
        assertEquals("llama", c.modelType());
        assertEquals(128, c.intermediateSize());
        assertEquals(2, c.numKeyValueHeads());
        assertEquals(16, c.headDim());
        assertEquals(Optional.of("silu"), c.hiddenAct());
        assertEquals(Optional.of(1e-6), c.rmsNormEps());
        assertEquals(Optional.of(128), c.maxPositionEmbeddings());
        assertFalse(c.tieWordEmbeddings());
        assertFalse(c.attentionBias());
        assertFalse(c.mlpBias());
        assertEquals(Optional.of(1), c.bosTokenId());
        assertEquals(List.of(2), c.eosTokenIds());
        assertEquals(Optional.of(0), c.padTokenId());
        assertEquals(Optional.of("float32"), c.dtype());
        assertEquals(RopeParameters.plain(10000.0, 1.0), c.rope());
        assertEquals(List.of(), c.layerTypes());
        assertEquals(HfConfig.FULL_ATTENTION, c.layerType(1));
        // model-specific keys stay reachable
        assertEquals(1, c.json().requireInt("pretraining_tp"));
    }

    @Test
    void llama3RopeInBothStylesIsTheSame() {
        HfConfig modern = config("llama3-rope");
        HfConfig legacy = config("llama3-rope-legacy");
        assertEquals(modern.ropeParameters(), legacy.ropeParameters());
        RopeParameters r = modern.rope();
        assertEquals(RopeType.LLAMA3, r.ropeType());
        assertEquals(500000.0, r.theta());
        assertEquals(Optional.of(8.0), r.factor());
        assertEquals(Optional.of(1.0), r.lowFreqFactor());
        assertEquals(Optional.of(4.0), r.highFreqFactor());
        assertEquals(Optional.of(32), r.originalMaxPositionEmbeddings());
        assertEquals(1.0, r.partialRotaryFactor());
        assertEquals(Optional.of("float32"), legacy.dtype()); // from torch_dtype
    }

    @Test
    void mixtralNullHeadDimFallsBackToHiddenOverHeads() {
        HfConfig c = config("mixtral");
        assertTrue(c.raw().get("head_dim").isNull());
        assertEquals(16, c.headDim());
        assertEquals(Optional.empty(), c.slidingWindow());
        assertEquals(1_000_000.0, c.rope().theta());
        assertEquals(4, c.json().requireInt("num_local_experts"));
    }

    @Test
    void deepseekV3KeepsItsOwnHeadDim() {
        HfConfig c = config("deepseek_v3");
        assertEquals(8, c.headDim());
        assertEquals(4, c.numKeyValueHeads());
        assertEquals(16, c.json().requireInt("kv_lora_rank"));
        assertEquals(Optional.of(true), c.json().optionalBoolean("rope_interleave"));
    }

    @Test
    void gemmaPrefersHiddenActivation() {
        HfConfig c = config("gemma");
        assertEquals(Optional.of("gelu_pytorch_tanh"), c.hiddenAct());
        assertEquals(Optional.of("gelu_pytorch_tanh"), config("gemma2").hiddenAct()); // only hidden_activation there
    }

    @Test
    void gemma2SoftCappingAndAlternatingLayers() {
        HfConfig c = config("gemma2");
        assertEquals(Optional.of(50.0), c.attnLogitSoftcapping());
        assertEquals(Optional.of(30.0), c.finalLogitSoftcapping());
        assertEquals(Optional.of(16.0), c.queryPreAttnScalar());
        assertEquals(Optional.of(5), c.slidingWindow());
        assertEquals(List.of("sliding_attention", "full_attention"), c.layerTypes());
        assertEquals("sliding_attention", c.layerType(0));
        // one RoPE object for every layer type
        assertEquals(c.rope("sliding_attention"), c.rope("full_attention"));
        assertEquals(10000.0, c.rope("sliding_attention").theta());
    }

    @Test
    void gemma3RopePerLayerType() {
        HfConfig c = config("gemma3");
        assertEquals(Map.of("full_attention", RopeParameters.plain(1_000_000.0, 1.0),
                "sliding_attention", RopeParameters.plain(10_000.0, 1.0)), c.ropeParameters());
        assertEquals(10_000.0, c.rope(c.layerType(0)).theta());
        assertEquals(Optional.empty(), c.attnLogitSoftcapping()); // null in the file
        assertEquals("gemma3_text", c.modelType());
    }

    @Test
    void gptNeoxPartialRotaryAndBias() {
        HfConfig c = config("gpt_neox");
        assertEquals(0.25, c.partialRotaryFactor());
        assertEquals(0.25, c.rope().partialRotaryFactor());
        assertEquals(4, c.rope().rotaryDim(c.headDim()));
        assertTrue(c.attentionBias());
        assertEquals(Optional.of(1e-5), c.layerNormEps());
        assertEquals(4, c.numKeyValueHeads()); // absent: no GQA
    }

    @Test
    void phi3StatesAFullRotaryFactor() {
        HfConfig c = config("phi3");
        assertEquals(1.0, c.partialRotaryFactor());
        // a plain RoPE does not pick up the top-level original_max_position_embeddings
        assertEquals(Optional.empty(), c.rope().originalMaxPositionEmbeddings());
    }

    @Test
    void qwen2SlidingWindowKeys() {
        HfConfig c = config("qwen2");
        assertFalse(c.useSlidingWindow());
        assertEquals(Optional.of(28), c.maxWindowLayers());
        assertEquals(Optional.empty(), c.slidingWindow());
        assertEquals(List.of("full_attention", "full_attention"), c.layerTypes());
        assertEquals(Optional.of(0), config("qwen2_moe").slidingWindow());
    }

    @Test
    void gpt2NamesTheCommonKeysItsOwnWay() {
        HfConfig c = config("gpt2");
        assertEquals(64, c.hiddenSize()); // n_embd
        assertEquals(2, c.numHiddenLayers()); // n_layer
        assertEquals(4, c.numAttentionHeads()); // n_head
        assertEquals(256, c.intermediateSize()); // n_inner null: 4 × n_embd
        assertEquals(Optional.of(128), c.maxPositionEmbeddings()); // n_positions
        assertEquals(Optional.of("gelu_new"), c.hiddenAct()); // activation_function
        assertEquals(Optional.of(1e-5), c.layerNormEps()); // layer_norm_epsilon
        assertTrue(c.tieWordEmbeddings());
        assertEquals(Map.of(), c.ropeParameters());
    }

    @Test
    void t5NamesTheCommonKeysItsOwnWay() {
        HfConfig c = config("t5");
        assertEquals(64, c.hiddenSize()); // d_model
        assertEquals(4, c.numAttentionHeads()); // num_heads
        assertEquals(2, c.numHiddenLayers()); // num_layers
        assertEquals(16, c.headDim()); // d_kv
        assertEquals(128, c.intermediateSize()); // d_ff
        assertEquals(Optional.of("gelu_new"), c.hiddenAct()); // dense_act_fn
        assertEquals(Optional.of(1e-6), c.layerNormEps());
        assertEquals(List.of(1), c.eosTokenIds());
        assertEquals(Optional.empty(), c.bosTokenId());
        assertEquals(Optional.of(0), GenerationConfig.read(Fixtures.model("t5").resolve("generation_config.json"))
                .decoderStartTokenId());
    }

    @Test
    void bertHasNoRopeAndNullTokenIds() {
        HfConfig c = config("bert");
        assertEquals(Map.of(), c.ropeParameters());
        assertEquals(List.of(), c.eosTokenIds());
        assertEquals(Optional.empty(), c.bosTokenId());
        assertEquals(Optional.of(1e-12), c.layerNormEps());
        assertEquals(Optional.of("gelu"), c.hiddenAct());
        assertEquals(2, c.json().requireInt("type_vocab_size"));
    }

    @Test
    void bf16CheckpointStatesItsDtype() {
        assertEquals(Optional.of("bfloat16"), config("llama-bf16").dtype());
    }
}
