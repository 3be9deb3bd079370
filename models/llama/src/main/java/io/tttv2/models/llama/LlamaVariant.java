package io.tttv2.models.llama;

import io.tttv2.integration.hf.config.HfConfig;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The architectures this bundle runs, each as what it changes of Llama. Chosen once, from config.json's
 * {@code architectures}; the plan asks the variant, never the architecture's name.
 */
enum LlamaVariant {
    LLAMA("LlamaForCausalLM"),
    MISTRAL("MistralForCausalLM") {
        // differs from Llama: every layer slides when a window is set
        @Override
        boolean slides(HfConfig c, int layer) {
            return true;
        }
    },
    QWEN2("Qwen2ForCausalLM") {
        // differs from Llama: q/k/v always have biases and o_proj never; layers from max_window_layers on slide
        @Override
        boolean qkvBias(HfConfig c) {
            return true;
        }

        @Override
        boolean outputBias(HfConfig c) {
            return false;
        }

        @Override
        boolean slides(HfConfig c, int layer) {
            return c.useSlidingWindow() && layer >= c.maxWindowLayers().orElse(0);
        }
    },
    QWEN3("Qwen3ForCausalLM") {
        // differs from Llama: per-head RMSNorm of q and k; sliding as Qwen2
        @Override
        boolean qkNorm() {
            return true;
        }

        @Override
        boolean slides(HfConfig c, int layer) {
            return QWEN2.slides(c, layer);
        }
    };

    private static final Map<String, LlamaVariant> BY_ARCHITECTURE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(v -> v.architecture, Function.identity()));

    final String architecture;

    LlamaVariant(String architecture) {
        this.architecture = architecture;
    }

    /** The variant config.json names (already checked to be one of ours). */
    static LlamaVariant of(String architecture) {
        return BY_ARCHITECTURE.get(architecture);
    }

    /** q/k/v projections have biases: Llama's {@code attention_bias}. */
    boolean qkvBias(HfConfig c) {
        return c.attentionBias();
    }

    /** o_proj has a bias: Llama's {@code attention_bias}. */
    boolean outputBias(HfConfig c) {
        return c.attentionBias();
    }

    /** Per-head q/k norms: none in Llama. */
    boolean qkNorm() {
        return false;
    }

    /** Whether layer {@code layer} slides when config.json has a window but no {@code layer_types}: never in Llama. */
    boolean slides(HfConfig c, int layer) {
        return false;
    }
}
