package io.tttv2.integration.hf.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.config.RopeParameters;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import io.tttv2.integration.hf.safetensors.TensorEntry;
import io.tttv2.integration.hf.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HF fixtures written as GGUF and opened again as a checkpoint: the same config and the same tensors,
 * byte for byte — which holds only if the writer's permutation, names and norm offset are exactly undone by the
 * reader. (That the GGUF side is llama.cpp's layout is checked against llama.cpp itself, in tests/.)
 */
class GgufModelRoundTripTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "llama-bf16", "llama3-rope", "qwen2", "qwen3", "gemma"})
    void aFixtureReadsBackAsWritten(String fixture) throws IOException {
        Path dir = Fixtures.model(fixture);
        HfConfig config = HfConfig.read(dir.resolve("config.json"));
        Path out = tmp.resolve(fixture + ".gguf");
        try (Checkpoint source = Checkpoint.open(dir)) {
            GgufModelWriter.write(config, source, fixture, null, Map.of(), out);
            HfConfig back = HfConfig.forModel(out);
            assertEquals(config.architectures(), back.architectures());
            assertEquals(config.hiddenSize(), back.hiddenSize());
            assertEquals(config.numHiddenLayers(), back.numHiddenLayers());
            assertEquals(config.numAttentionHeads(), back.numAttentionHeads());
            assertEquals(config.numKeyValueHeads(), back.numKeyValueHeads());
            assertEquals(config.headDim(), back.headDim());
            assertEquals(config.intermediateSize(), back.intermediateSize());
            assertEquals(config.vocabSize(), back.vocabSize());
            assertEquals(config.maxPositionEmbeddings(), back.maxPositionEmbeddings());
            assertEquals(config.tieWordEmbeddings(), back.tieWordEmbeddings());
            assertEquals(config.attentionBias() || fixture.startsWith("qwen2"), back.attentionBias()
                    || fixture.startsWith("qwen2"));
            assertEquals((float) (double) config.rmsNormEps().orElseThrow(), (float) (double) back.rmsNormEps().orElseThrow());
            assertEquals(config.hiddenAct(), back.hiddenAct().map(a -> a));
            assertEquals(config.dtype().orElse("float32"), back.dtype().orElseThrow());
            RopeParameters r = config.rope();
            RopeParameters rb = back.rope();
            assertEquals(r.ropeType(), rb.ropeType());
            assertEquals((float) r.theta(), (float) rb.theta());
            assertEquals(r.factor().map(Double::floatValue), rb.factor().map(Double::floatValue));
            assertEquals(r.lowFreqFactor(), rb.lowFreqFactor());
            assertEquals(r.highFreqFactor(), rb.highFreqFactor());
            assertEquals(r.originalMaxPositionEmbeddings(), rb.originalMaxPositionEmbeddings());

            try (Checkpoint gguf = Checkpoint.open(out)) {
                assertEquals(new TreeSet<>(source.names()), new TreeSet<>(gguf.names()));
                for (String name : source.names()) {
                    TensorEntry a = source.entry(name);
                    TensorEntry b = gguf.entry(name);
                    assertArrayEquals(a.shape(), b.shape(), name);
                    if (a.rank() == 1 || fixture.equals("gemma")) {
                        // vectors are written as F32; Gemma's norms come back from 1 + w within rounding
                        float[] x = a.toFloatArray();
                        float[] y = b.toFloatArray();
                        for (int i = 0; i < x.length; i++) {
                            assertEquals(x[i], y[i], 1e-6f * Math.max(1, Math.abs(x[i])), name + "[" + i + "]");
                        }
                    } else {
                        assertEquals(a.dtype(), b.dtype(), name);
                        assertArrayEquals(a.data().toArray(ValueLayout.JAVA_BYTE), b.data().toArray(ValueLayout.JAVA_BYTE),
                                name);
                    }
                }
            }
        }
    }

    @Test
    void theLlamaQueryIsStoredInLlamaCppsOrder() throws IOException {
        Path dir = Fixtures.model("llama");
        HfConfig config = HfConfig.read(dir.resolve("config.json"));
        Path out = tmp.resolve("llama.gguf");
        try (Checkpoint source = Checkpoint.open(dir)) {
            GgufModelWriter.write(config, source, "llama", null, Map.of(), out);
            float[] hf = source.entry("model.layers.0.self_attn.q_proj.weight").toFloatArray();
            int cols = config.hiddenSize();
            int headDim = config.headDim();
            try (GgufFile f = GgufFile.open(out)) {
                float[] stored = f.data(f.tensor("blk.0.attn_q.weight")).toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
                // GGUF row 1 of head 0 is HF row d/2 (the first row's rotation partner)
                for (int c = 0; c < cols; c++) {
                    assertEquals(hf[headDim / 2 * cols + c], stored[cols + c]);
                    assertEquals(hf[c], stored[c]);
                }
                assertEquals("llama", f.metadata().string("general.architecture"));
                assertEquals(config.numKeyValueHeads(), f.metadata().integer("llama.attention.head_count_kv"));
            }
        }
    }

    @Test
    void mistralsSlidingWindowIsRefusedInOneLine() throws IOException {
        Path dir = Fixtures.model("mistral");
        HfConfig config = HfConfig.read(dir.resolve("config.json"));
        try (Checkpoint source = Checkpoint.open(dir)) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () ->
                    GgufModelWriter.write(config, source, "mistral", null, Map.of(), tmp.resolve("m.gguf")));
            assertTrue(e.getMessage().contains("key 'sliding_window' expected null to write as GGUF llama"),
                    e.getMessage());
        }
    }
}
