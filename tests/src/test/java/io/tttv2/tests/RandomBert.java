package io.tttv2.tests;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.integration.hf.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a BertModel checkpoint with random weights (config.json + model.safetensors) of any shape: for tests
 * that need a vocabulary matching a tokenizer, and for the encoder benchmark on a BERT-base-shaped model
 * ({@code java ... io.tttv2.tests.RandomBert DIR} writes hidden 768, 12 layers, 12 heads, intermediate 3072,
 * vocab 30522, 512 positions). Weights are N(0, 0.02) as BERT initialises them, LayerNorms 1 and 0, seeded.
 */
record RandomBert(int vocab, int hidden, int layers, int heads, int intermediate, int maxPositions, boolean pooler) {

    static final RandomBert BASE = new RandomBert(30522, 768, 12, 12, 3072, 512, true);

    public static void main(String[] args) throws IOException {
        BASE.write(Path.of(args[0]), 42);
    }

    void write(Path dir, long seed) throws IOException {
        write(dir, seed, false);
    }

    /**
     * With {@code maskedLm}, a BertForMaskedLM checkpoint as HF saves it: names under {@code bert.}, no pooler,
     * the head's {@code cls.predictions.*} with the decoder weight tied to the token embedding (so absent).
     */
    void write(Path dir, long seed, boolean maskedLm) throws IOException {
        Files.createDirectories(dir);
        String base = maskedLm ? "bert." : "";
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode();
        config.putArray("architectures").add(maskedLm ? "BertForMaskedLM" : "BertModel");
        config.put("model_type", "bert");
        config.put("vocab_size", vocab);
        config.put("hidden_size", hidden);
        config.put("num_hidden_layers", layers);
        config.put("num_attention_heads", heads);
        config.put("intermediate_size", intermediate);
        config.put("hidden_act", "gelu");
        config.put("max_position_embeddings", maxPositions);
        config.put("type_vocab_size", 2);
        config.put("layer_norm_eps", 1e-12);
        config.put("pad_token_id", 0);
        config.put("dtype", "float32");
        Files.writeString(dir.resolve("config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(config));

        SplittableRandom random = new SplittableRandom(seed);
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        normal(w, random, base + "embeddings.word_embeddings.weight", vocab, hidden);
        normal(w, random, base + "embeddings.position_embeddings.weight", maxPositions, hidden);
        normal(w, random, base + "embeddings.token_type_embeddings.weight", 2, hidden);
        layerNorm(w, base + "embeddings.LayerNorm");
        for (int l = 0; l < layers; l++) {
            String p = base + "encoder.layer." + l + ".";
            linear(w, random, p + "attention.self.query", hidden, hidden);
            linear(w, random, p + "attention.self.key", hidden, hidden);
            linear(w, random, p + "attention.self.value", hidden, hidden);
            linear(w, random, p + "attention.output.dense", hidden, hidden);
            layerNorm(w, p + "attention.output.LayerNorm");
            linear(w, random, p + "intermediate.dense", intermediate, hidden);
            linear(w, random, p + "output.dense", hidden, intermediate);
            layerNorm(w, p + "output.LayerNorm");
        }
        if (pooler && !maskedLm) {
            linear(w, random, "pooler.dense", hidden, hidden);
        }
        if (maskedLm) {
            linear(w, random, "cls.predictions.transform.dense", hidden, hidden);
            randomLayerNorm(w, random, "cls.predictions.transform.LayerNorm");
            normal(w, random, "cls.predictions.bias", vocab);
        }
        w.write(dir.resolve("model.safetensors"));
    }

    private static void linear(SafetensorsWriter w, SplittableRandom random, String module, int out, int in) {
        normal(w, random, module + ".weight", out, in);
        normal(w, random, module + ".bias", out);
    }

    private void layerNorm(SafetensorsWriter w, String module) {
        float[] ones = new float[hidden];
        java.util.Arrays.fill(ones, 1f);
        w.addF32(module + ".weight", new long[] {hidden}, ones);
        w.addF32(module + ".bias", new long[] {hidden}, new float[hidden]);
    }

    /** A LayerNorm away from 1 and 0, so a test of the head sees its weight and bias used. */
    private void randomLayerNorm(SafetensorsWriter w, SplittableRandom random, String module) {
        float[] weight = new float[hidden];
        float[] bias = new float[hidden];
        for (int i = 0; i < hidden; i++) {
            weight[i] = (float) (1 + 0.2 * random.nextGaussian());
            bias[i] = (float) (0.2 * random.nextGaussian());
        }
        w.addF32(module + ".weight", new long[] {hidden}, weight);
        w.addF32(module + ".bias", new long[] {hidden}, bias);
    }

    private static void normal(SafetensorsWriter w, SplittableRandom random, String name, int... shape) {
        int n = 1;
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            n *= shape[i];
            dims[i] = shape[i];
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (0.02 * random.nextGaussian());
        }
        w.addF32(name, dims, values);
    }
}
