package io.tttv2.models.kit;

import io.tttv2.api.modules.RouterSpec;
import io.tttv2.integration.hf.config.ConfigJson;
import io.tttv2.integration.hf.config.HfConfig;

/**
 * Reading a mixture of experts' numbers from config.json, checked against one another so that an inconsistent
 * config (more experts per token than experts, groups that do not divide the experts, …) stops with one line
 * naming the key, before anything is built.
 */
public final class MoePlans {

    private MoePlans() {
    }

    /** {@code key}'s positive integer, or {@code defaultValue} when absent (the config class's default). */
    public static int count(HfConfig c, String key, int defaultValue) {
        ConfigJson json = c.json();
        int v = json.optionalInt(key).orElse(defaultValue);
        if (v < 1) {
            throw json.wrongType(key, "a positive integer", json.raw().get(key));
        }
        return v;
    }

    /**
     * An ungrouped router (Mixtral, Qwen2-MoE): {@code experts} from {@code expertsKey}, {@code num_experts_per_tok}
     * per token (absent: the config class's defaults).
     */
    public static RouterSpec router(HfConfig c, String expertsKey, int defaultExperts, int defaultTopK,
                                    RouterSpec.Scoring scoring, boolean normalize) {
        return router(c, expertsKey, defaultExperts, defaultTopK, false, 1, 1, scoring, normalize, false, 1f);
    }

    /**
     * A grouped router (DeepSeek-V3): as {@link #router(HfConfig, String, int, int, RouterSpec.Scoring, boolean)},
     * the experts in {@code n_group} groups of which {@code topk_group} are kept (absent: {@code groups},
     * {@code topKGroups}).
     */
    public static RouterSpec groupedRouter(HfConfig c, String expertsKey, int defaultExperts, int defaultTopK,
                                           int groups, int topKGroups, RouterSpec.Scoring scoring, boolean normalize,
                                           boolean correctionBias, float scalingFactor) {
        return router(c, expertsKey, defaultExperts, defaultTopK, true, groups, topKGroups, scoring, normalize,
                correctionBias, scalingFactor);
    }

    private static RouterSpec router(HfConfig c, String expertsKey, int defaultExperts, int defaultTopK, boolean grouped,
                                     int groups, int topKGroups, RouterSpec.Scoring scoring, boolean normalize,
                                     boolean correctionBias, float scalingFactor) {
        ConfigJson json = c.json();
        int experts = count(c, expertsKey, defaultExperts);
        int topK = count(c, "num_experts_per_tok", defaultTopK);
        int nGroup = grouped ? count(c, "n_group", groups) : 1;
        int topKGroup = grouped ? count(c, "topk_group", topKGroups) : 1;
        if (topK > experts) {
            throw json.error("num_experts_per_tok", "expected at most the " + experts + " experts of '" + expertsKey
                    + "', found " + topK);
        }
        if (experts % nGroup != 0) {
            throw json.error("n_group", "expected a number of groups that divides the " + experts + " experts of '"
                    + expertsKey + "', found " + nGroup);
        }
        if (topKGroup > nGroup) {
            throw json.error("topk_group", "expected at most the " + nGroup + " groups of 'n_group', found " + topKGroup);
        }
        if (topK > topKGroup * (experts / nGroup)) {
            throw json.error("num_experts_per_tok", "expected at most the " + topKGroup * (experts / nGroup)
                    + " experts of the " + topKGroup + " groups 'topk_group' keeps, found " + topK);
        }
        if (!(scalingFactor > 0) || Float.isInfinite(scalingFactor)) {
            throw json.error("routed_scaling_factor", "expected a positive number, found " + scalingFactor);
        }
        return new RouterSpec(c.hiddenSize(), experts, topK, scoring, normalize, nGroup, topKGroup, correctionBias,
                scalingFactor);
    }
}
