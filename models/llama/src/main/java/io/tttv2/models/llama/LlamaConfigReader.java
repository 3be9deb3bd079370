package io.tttv2.models.llama;

import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.tensor.DType;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.config.RopeParameters;
import java.nio.file.Path;

/**
 * config.json → {@link LlamaFamilyConfig}: Llama's keys, plus what Mistral, Qwen2 and Qwen3 change.
 */
final class LlamaConfigReader {

    private LlamaConfigReader() {
    }

    static LlamaFamilyConfig read(Path configJson) {
        try {
            return of(HfConfig.read(configJson));
        } catch (ConfigFormatException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }

    static LlamaFamilyConfig of(HfConfig hf) {
        String architecture = hf.architectures().isEmpty() ? "" : hf.architectures().get(0);
        if (!LlamaFamilyRunnerFactory.ARCHITECTURES.contains(architecture)) {
            throw new ModelLoadException(hf.file().getFileName() + ": key 'architectures' expected one of "
                    + String.join(", ", LlamaFamilyRunnerFactory.ARCHITECTURES.stream().sorted().toList())
                    + ", found " + hf.architectures());
        }
        boolean qwen2 = architecture.equals("Qwen2ForCausalLM");
        boolean qwen3 = architecture.equals("Qwen3ForCausalLM");
        // Llama and Qwen3 bias q/k/v/o alike by attention_bias; Qwen2 always biases q/k/v and never o
        boolean qkvBias = qwen2 || hf.attentionBias();
        boolean outputBias = !qwen2 && hf.attentionBias();
        int maxPositions = hf.maxPositionEmbeddings().orElseThrow(() ->
                new ModelLoadException(hf.file().getFileName() + ": missing required key 'max_position_embeddings'"));
        return new LlamaFamilyConfig(architecture, hf.vocabSize(), hf.hiddenSize(), hf.intermediateSize(),
                hf.numHiddenLayers(), hf.numAttentionHeads(), hf.numKeyValueHeads(), hf.headDim(),
                hf.hiddenAct().orElse("silu"), hf.rmsNormEps().orElse(1e-6).floatValue(), maxPositions,
                hf.tieWordEmbeddings(), qkvBias, outputBias, hf.mlpBias(), qwen3, slidingWindows(hf, architecture),
                rope(hf.rope(), maxPositions), hf.rope().partialRotaryFactor(), hf.eosTokenIds(),
                parameterDType(hf.dtype().orElse("float32")));
    }

    /** HF's dtype name → ours; anything else computes as F32 (the weights' own dtypes are checked per tensor). */
    private static DType parameterDType(String dtype) {
        return switch (dtype) {
            case "bfloat16" -> DType.BF16;
            case "float16" -> DType.F16;
            default -> DType.F32;
        };
    }

    /** Per layer: the window of sliding layers, 0 for full attention. */
    private static int[] slidingWindows(HfConfig hf, String architecture) {
        int[] windows = new int[hf.numHiddenLayers()];
        int window = hf.slidingWindow().orElse(0);
        for (int l = 0; l < windows.length; l++) {
            boolean sliding;
            if (!hf.layerTypes().isEmpty()) {
                sliding = HfConfig.SLIDING_ATTENTION.equals(hf.layerType(l));
            } else if (architecture.equals("MistralForCausalLM")) {
                sliding = true;                       // differs from Llama: every layer slides when a window is set
            } else if (architecture.startsWith("Qwen")) {
                sliding = hf.useSlidingWindow() && l >= hf.maxWindowLayers().orElse(0);
            } else {
                sliding = false;
            }
            windows[l] = sliding ? window : 0;
        }
        return windows;
    }

    /** HF's RoPE parameters with each variant's defaults applied, as transformers' {@code _compute_*_parameters}. */
    static RopeScaling rope(RopeParameters p, int maxPositions) {
        return new RopeScaling(p.ropeType().hfName(), p.theta(), p.factor().orElse(1.0),
                p.lowFreqFactor().orElse(1.0), p.highFreqFactor().orElse(4.0),
                p.originalMaxPositionEmbeddings().orElse(maxPositions), p.betaFast().orElse(32.0),
                p.betaSlow().orElse(1.0), p.attentionFactor().orElse(Double.NaN), p.mscale().orElse(0.0),
                p.mscaleAllDim().orElse(0.0));
    }
}
