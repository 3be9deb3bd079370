package io.tttv2.integration.hf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPT-NeoX configs saved before transformers 5 (Pythia, GPT-NeoX-20B) name the RoPE base {@code rotary_emb_base}
 * and the rotated fraction {@code rotary_pct}: they read as {@code rope_theta} and {@code partial_rotary_factor}.
 */
class LegacyRotaryKeysTest {
    private static final String NEOX = """
            "model_type": "gpt_neox", "vocab_size": 256, "hidden_size": 64, "intermediate_size": 256,
            "num_hidden_layers": 2, "num_attention_heads": 4, "max_position_embeddings": 128""";

    @TempDir
    Path tmp;

    private HfConfig read(String extraKeys) throws IOException {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, "{" + NEOX + ", " + extraKeys + "}");
        return HfConfig.read(file);
    }

    @Test
    void rotaryEmbBaseAndRotaryPct() throws IOException {
        HfConfig c = read("\"rotary_emb_base\": 25000, \"rotary_pct\": 0.5");
        assertEquals(RopeParameters.plain(25_000.0, 0.5), c.rope());
        assertEquals(8, c.rope().rotaryDim(c.headDim()));
    }

    @Test
    void rotaryEmbBaseUnderLegacyScaling() throws IOException {
        RopeParameters r = read("\"rotary_emb_base\": 25000, \"rotary_pct\": 0.25,"
                + " \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}").rope();
        assertEquals(RopeType.LINEAR, r.ropeType());
        assertEquals(25_000.0, r.theta());
        assertEquals(0.25, r.partialRotaryFactor());
        assertEquals(Optional.of(2.0), r.factor());
    }

    @Test
    void ropeThetaWinsOverRotaryEmbBase() throws IOException {
        assertEquals(40_000.0, read("\"rope_theta\": 40000, \"rotary_emb_base\": 25000").rope().theta());
        assertEquals(40_000.0, read("\"rotary_emb_base\": 25000,"
                + " \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 40000}").rope().theta());
    }

    @Test
    void ropeParametersWithoutThetaTakeRotaryEmbBase() throws IOException {
        assertEquals(25_000.0, read("\"rotary_emb_base\": 25000, \"rope_parameters\": {\"rope_type\": \"default\"}")
                .rope().theta());
    }
}
