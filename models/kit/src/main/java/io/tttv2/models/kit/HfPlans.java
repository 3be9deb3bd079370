package io.tttv2.models.kit;

import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.tensor.DType;
import io.tttv2.integration.hf.config.ConfigJson;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.config.RopeParameters;
import io.tttv2.integration.hf.config.RopeType;

/** The translations from config.json to specs that every model makes the same way. */
public final class HfPlans {

    private HfPlans() {
    }

    /** HF's {@code dtype}: what parameters and buffers are held in (F32 for anything but bf16 / fp16). */
    public static DType parameterDType(HfConfig c) {
        return switch (c.dtype().orElse("float32")) {
            case "bfloat16" -> DType.BF16;
            case "float16" -> DType.F16;
            default -> DType.F32;
        };
    }

    /**
     * A constant as HF holds it in {@code dtype}: {@code torch.tensor(value)} (float32), then {@code .to(dtype)},
     * each rounding to nearest even — e.g. Gemma's sqrt(3072) = 55.4256 becomes 55.5 in bfloat16.
     */
    public static float cast(double value, DType dtype) {
        float f = (float) value;
        return switch (dtype) {
            case F32 -> f;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(f));
            case BF16 -> {
                int bits = Float.floatToRawIntBits(f);
                yield Float.intBitsToFloat((bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF0000);
            }
            default -> throw new IllegalArgumentException("a constant cannot be held in " + dtype);
        };
    }

    /** {@code max_position_embeddings}, required. */
    public static int maxPositions(HfConfig c) {
        return c.maxPositionEmbeddings().orElseThrow(() ->
                new ModelLoadException(c.file().getFileName() + ": missing required key 'max_position_embeddings'"));
    }

    /** {@code rms_norm_eps} (1e-6 when absent) over {@code dim}, plain weight. */
    public static NormSpec rmsNorm(HfConfig c, int dim) {
        return NormSpec.rms(dim, c.rmsNormEps().orElse(1e-6).floatValue());
    }

    /** LayerNorm with bias over {@code dim}, {@code layer_norm_eps} (1e-5 when absent). */
    public static NormSpec layerNorm(HfConfig c, int dim) {
        return new NormSpec(dim, NormSpec.NormKind.LAYER, c.layerNormEps().orElse(1e-5).floatValue(), 0f, true);
    }

    /**
     * The rotary of layers of {@code layerType} (HF's rotate-half pairing), the rotated part from
     * {@code partial_rotary_factor}, frequencies in the parameters' dtype.
     */
    public static RotarySpec rotary(HfConfig c, String layerType) {
        return rotary(c, c.rope(layerType));
    }

    /** The rotary of RoPE parameters a model derived itself (e.g. from legacy keys only it has). */
    public static RotarySpec rotary(HfConfig c, RopeParameters p) {
        int rotaryDim = p.rotaryDim(c.headDim());
        if (rotaryDim % 2 != 0 || rotaryDim <= 0) {
            // HF would rotate rotaryDim + 1 elements at frequencies computed for rotaryDim: no spec says that
            throw new ModelLoadException(c.file().getFileName() + ": key 'partial_rotary_factor' expected a fraction of"
                    + " head_dim " + c.headDim() + " that is a positive even number of elements, found "
                    + p.partialRotaryFactor() + " (" + rotaryDim + " elements)");
        }
        if (!(p.theta() > 0) || Double.isInfinite(p.theta())) {
            throw new ModelLoadException(c.file().getFileName() + ": key 'rope_theta' expected a positive number, found "
                    + p.theta());
        }
        return new RotarySpec(c.headDim(), rotaryDim, rope(c, p), maxPositions(c), RotaryStyle.HALF,
                parameterDType(c));
    }

    /**
     * HF's RoPE parameters with each type's defaults applied, as transformers' {@code _compute_*_parameters}:
     * longrope's {@code factor} when given, else {@code max_position_embeddings / original_max_position_embeddings}
     * (1 without the latter), as transformers 5's {@code _compute_longrope_parameters} (Phi-3 states no factor).
     */
    public static RopeScaling rope(HfConfig c, RopeParameters p) {
        int maxPositions = maxPositions(c);
        int original = p.originalMaxPositionEmbeddings().orElse(maxPositions);
        double factor = p.factor().orElse(p.ropeType() == RopeType.LONGROPE ? (double) maxPositions / original : 1.0);
        return new RopeScaling(p.ropeType().hfName(), p.theta(), factor, p.lowFreqFactor().orElse(1.0),
                p.highFreqFactor().orElse(4.0), original, p.betaFast().orElse(32.0), p.betaSlow().orElse(1.0),
                p.attentionFactor().orElse(Double.NaN), p.mscale().orElse(0.0), p.mscaleAllDim().orElse(0.0),
                p.shortFactor(), p.longFactor());
    }

    /**
     * A key a model's config class defaults when absent and switches off when null (Gemma 2/3's soft-caps and
     * window): its positive value; {@code defaultValue} when absent; 0 (the feature off) when null, if allowed.
     */
    public static double positive(ConfigJson json, String key, double defaultValue, boolean nullTurnsOff) {
        if (!json.hasKey(key)) {
            return defaultValue;
        }
        if (nullTurnsOff && !json.has(key)) {
            return 0;
        }
        double v = json.requireDouble(key);
        if (!(v > 0)) {
            throw json.wrongType(key, "a positive number" + (nullTurnsOff ? " or null" : ""), json.raw().get(key));
        }
        return v;
    }

    /** Refuses {@code use_bidirectional_attention: true}: the kit builds causal decoders. */
    public static void requireCausal(ConfigJson json) {
        if (json.optionalBoolean("use_bidirectional_attention").orElse(false)) {
            throw json.wrongType("use_bidirectional_attention", "false or null (a causal decoder)",
                    json.raw().get("use_bidirectional_attention"));
        }
    }
}
