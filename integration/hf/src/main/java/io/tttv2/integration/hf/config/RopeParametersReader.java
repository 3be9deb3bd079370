package io.tttv2.integration.hf.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Normalises the three ways a config.json states RoPE into one {@link RopeParameters} per attention layer type:
 * <ol>
 *   <li>transformers 5, one object: {@code "rope_parameters": {"rope_type": "llama3", "rope_theta": 5e5, …}}
 *       — applies to every layer type;</li>
 *   <li>transformers 5, per layer type (Gemma 3):
 *       {@code "rope_parameters": {"full_attention": {…}, "sliding_attention": {…}}};</li>
 *   <li>older configs: {@code "rope_theta"} plus an optional {@code "rope_scaling"} whose variant is in
 *       {@code rope_type} or {@code type}; Gemma 3's {@code rope_local_base_freq} is the base of its sliding
 *       layers, as transformers 5 converts it.</li>
 * </ol>
 * GPT-NeoX-style configs spell the top-level base {@code rotary_emb_base} and the rotated fraction
 * {@code rotary_pct}; each is read where its usual key is absent, as transformers 5's GPT-NeoX config converts them.
 * A config with none of these states no RoPE, and the map is empty.
 */
final class RopeParametersReader {
    static final String FULL_ATTENTION = "full_attention";
    static final String SLIDING_ATTENTION = "sliding_attention";

    private RopeParametersReader() {
    }

    static Map<String, RopeParameters> read(ConfigJson config, List<String> layerTypes) {
        double partial = topLevelPartialRotaryFactor(config);
        Map<String, RopeParameters> byType = new LinkedHashMap<>();
        Optional<ConfigJson> parameters = config.optionalObject("rope_parameters");
        if (parameters.isPresent()) {
            ConfigJson p = parameters.get();
            if (isOneVariant(p)) {
                applyToAll(byType, variant(p, config, topLevelTheta(config), partial), layerTypes);
            } else if (!p.keys().isEmpty() && p.keys().stream().allMatch(k -> p.raw().get(k).isObject())) {
                for (String layerType : p.keys()) {
                    ConfigJson forType = p.optionalObject(layerType).orElseThrow(() -> p.missing(layerType));
                    byType.put(layerType, variant(forType, config, Optional.empty(), partial));
                }
                for (String layerType : layerTypes) {
                    if (!byType.containsKey(layerType)) {
                        throw config.error("rope_parameters", "expected parameters for layer type '" + layerType
                                + "' (used in 'layer_types'), found none");
                    }
                }
            } else {
                throw config.wrongType("rope_parameters",
                        "an object with rope_type and rope_theta, or one such object per layer type", p.raw());
            }
        } else if (topLevelTheta(config).isPresent() || config.has("rope_scaling")) {
            Optional<ConfigJson> scaling = config.optionalObject("rope_scaling");
            RopeParameters full = scaling.isPresent()
                    ? variant(scaling.get(), config, topLevelTheta(config), partial)
                    : RopeParameters.plain(topLevelTheta(config).orElse(RopeParameters.DEFAULT_THETA), partial);
            applyToAll(byType, full, layerTypes);
            // Gemma 3 before transformers 5: sliding layers rotate with their own, unscaled base
            Optional<Double> localBase = config.optionalDouble("rope_local_base_freq");
            localBase.ifPresent(theta -> byType.put(SLIDING_ATTENTION, RopeParameters.plain(theta, partial)));
        }
        return Collections.unmodifiableMap(byType);
    }

    private static boolean isOneVariant(ConfigJson p) {
        return p.hasKey("rope_type") || p.hasKey("type") || p.hasKey("rope_theta");
    }

    private static void applyToAll(Map<String, RopeParameters> byType, RopeParameters p, List<String> layerTypes) {
        byType.put(FULL_ATTENTION, p);
        layerTypes.forEach(t -> byType.putIfAbsent(t, p));
    }

    /** Top-level {@code rope_theta}, or GPT-NeoX's older {@code rotary_emb_base}. */
    private static Optional<Double> topLevelTheta(ConfigJson config) {
        return config.optionalDouble("rope_theta").or(() -> config.optionalDouble("rotary_emb_base"));
    }

    /** Top-level {@code partial_rotary_factor}, or GPT-NeoX's older {@code rotary_pct}, or 1. */
    static double topLevelPartialRotaryFactor(ConfigJson config) {
        if (config.has("partial_rotary_factor")) {
            return checkedPartial(config, "partial_rotary_factor");
        }
        if (config.has("rotary_pct")) {
            return checkedPartial(config, "rotary_pct");
        }
        return 1.0;
    }

    private static double checkedPartial(ConfigJson json, String key) {
        double f = json.requireDouble(key);
        if (!(f > 0 && f <= 1)) {
            throw json.wrongType(key, "a fraction in (0, 1]", json.raw().get(key));
        }
        return f;
    }

    /**
     * One variant from {@code p} (a {@code rope_parameters} object or a legacy {@code rope_scaling}); theta
     * from {@code p}, else the given top-level value, else transformers' default.
     */
    private static RopeParameters variant(ConfigJson p, ConfigJson config, Optional<Double> topLevelTheta,
                                          double defaultPartial) {
        String typeKey = p.hasKey("rope_type") ? "rope_type" : "type";
        String typeName = p.optionalString(typeKey).orElse(RopeType.DEFAULT.hfName());
        RopeType type = RopeType.fromHfName(typeName).orElseThrow(
                () -> p.wrongType(typeKey, "one of " + RopeType.knownNames(), p.raw().get(typeKey)));
        double theta = p.optionalDouble("rope_theta").or(() -> topLevelTheta).orElse(RopeParameters.DEFAULT_THETA);
        double partial = p.has("partial_rotary_factor") ? checkedPartial(p, "partial_rotary_factor") : defaultPartial;

        Optional<Integer> originalMax = p.optionalInt("original_max_position_embeddings");
        if (originalMax.isEmpty() && type != RopeType.DEFAULT && type != RopeType.LINEAR) {
            // Phi-3 and other older configs keep it at the top level
            originalMax = config.optionalInt("original_max_position_embeddings");
        }
        RopeParameters r = new RopeParameters(type, theta, partial,
                p.optionalDouble("factor"),
                p.optionalDouble("low_freq_factor"),
                p.optionalDouble("high_freq_factor"),
                originalMax,
                p.optionalDouble("beta_fast"),
                p.optionalDouble("beta_slow"),
                p.optionalDouble("attention_factor"),
                p.optionalDouble("mscale"),
                p.optionalDouble("mscale_all_dim"),
                p.optionalBoolean("truncate"),
                p.doubleList("short_factor"),
                p.doubleList("long_factor"));
        checkRequired(p, r);
        return r;
    }

    /** The keys each variant cannot work without (transformers' {@code _validate_*_rope_parameters}). */
    private static void checkRequired(ConfigJson p, RopeParameters r) {
        switch (r.ropeType()) {
            case DEFAULT -> {
            }
            case LINEAR, DYNAMIC, YARN -> require(p, r, "factor", r.factor().isPresent());
            case LLAMA3 -> {
                require(p, r, "factor", r.factor().isPresent());
                require(p, r, "low_freq_factor", r.lowFreqFactor().isPresent());
                require(p, r, "high_freq_factor", r.highFreqFactor().isPresent());
                require(p, r, "original_max_position_embeddings", r.originalMaxPositionEmbeddings().isPresent());
            }
            case LONGROPE -> {
                require(p, r, "short_factor", !r.shortFactor().isEmpty());
                require(p, r, "long_factor", !r.longFactor().isEmpty());
            }
        }
    }

    private static void require(ConfigJson p, RopeParameters r, String key, boolean present) {
        if (!present) {
            throw new ConfigFormatException(p.file() + ": missing required key '" + p.keyPath(key)
                    + "' (needed by rope_type '" + r.ropeType().hfName() + "')");
        }
    }
}
