package io.tttv2.integration.hf.gguf;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The GGUF architectures read and written, each with the HF model it is and what llama.cpp's converter
 * ({@code convert_hf_to_gguf.py}) changes on the way: the Q/K row permutation of the Llama family (llama.cpp
 * rotates interleaved pairs, HF rotates halves) and Gemma's norm weights stored as {@code 1 + w} (llama.cpp's
 * RMSNorm multiplies by the weight, Gemma's by {@code 1 + w}).
 */
enum GgufArchitecture {
    // Mistral is written as llama by llama.cpp's converter: the same computation without a sliding window
    LLAMA("llama", "LlamaForCausalLM", "llama", true, 0f, "silu"),
    QWEN2("qwen2", "Qwen2ForCausalLM", "qwen2", false, 0f, "silu"),
    QWEN3("qwen3", "Qwen3ForCausalLM", "qwen3", false, 0f, "silu"),
    GEMMA("gemma", "GemmaForCausalLM", "gemma", false, 1f, "gelu_pytorch_tanh");

    final String ggufName;
    final String hfArchitecture;
    final String modelType;
    /** Whether q_proj/k_proj rows are permuted from HF's half rotation to llama.cpp's interleaved one. */
    final boolean permutesQk;
    /** What the converter adds to every RMSNorm weight (Gemma's {@code 1 + w}). */
    final float normOffset;
    final String hiddenAct;

    GgufArchitecture(String ggufName, String hfArchitecture, String modelType, boolean permutesQk, float normOffset,
                     String hiddenAct) {
        this.ggufName = ggufName;
        this.hfArchitecture = hfArchitecture;
        this.modelType = modelType;
        this.permutesQk = permutesQk;
        this.normOffset = normOffset;
        this.hiddenAct = hiddenAct;
    }

    static Optional<GgufArchitecture> ofGguf(String name) {
        return Arrays.stream(values()).filter(a -> a.ggufName.equals(name)).findFirst();
    }

    /** The architecture an HF {@code model_type} is written as ({@code mistral} → llama). */
    static Optional<GgufArchitecture> ofModelType(String modelType) {
        if (modelType.equals("mistral")) {
            return Optional.of(LLAMA);
        }
        return Arrays.stream(values()).filter(a -> a.modelType.equals(modelType)).findFirst();
    }

    static String ggufNames() {
        return Arrays.stream(values()).map(a -> a.ggufName).collect(Collectors.joining(", "));
    }

    static String modelTypes() {
        return Arrays.stream(values()).map(a -> a.modelType).collect(Collectors.joining(", ")) + ", mistral";
    }
}
