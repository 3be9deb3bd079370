package io.tttv2.api.assembly;

import io.tttv2.api.candidate.Tier;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an assembly accepts for one module kind; every part is optional (null or empty: anything).
 *
 * @param name         the candidate's hierarchical name, e.g. {@code tttv2/attention/sdpa}
 * @param versionRange an OSGi version range, e.g. {@code [1.0,2)}
 * @param minimumTier  the least trusted tier accepted (compared with the tier a candidate is listed under)
 * @param variants     variants the candidate must support (empty: none required)
 * @param dtypes       tensor dtypes the candidate must support, e.g. {@code BF16} (empty: none required)
 * @param config       knob → value laid over every module of the kind ({@code io.tttv2.api.modules.ModuleConfig}
 *                     names the knobs); not a requirement on the candidate (empty: the defaults)
 */
public record Requirement(String name, String versionRange, Tier minimumTier, List<String> variants,
                          List<String> dtypes, Map<String, Integer> config) {

    public Requirement {
        variants = variants == null ? List.of() : List.copyOf(variants);
        dtypes = dtypes == null ? List.of() : List.copyOf(dtypes);
        config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(config));
    }

    /** A requirement without configuration overrides. */
    public Requirement(String name, String versionRange, Tier minimumTier, List<String> variants, List<String> dtypes) {
        this(name, versionRange, minimumTier, variants, dtypes, Map.of());
    }

    /** Accepts any candidate of the kind. */
    public static Requirement any() {
        return new Requirement(null, null, null, List.of(), List.of(), Map.of());
    }

    /**
     * This requirement, also needing {@code moreVariants} and {@code moreDtypes}: what a model adds from its
     * checkpoint (a sliding window, the weights' dtype) to what its assembly asks.
     */
    public Requirement needing(List<String> moreVariants, List<String> moreDtypes) {
        return new Requirement(name, versionRange, minimumTier, union(variants, moreVariants), union(dtypes, moreDtypes),
                config);
    }

    /** True if no part selects a candidate (no name, range, tier, variants or dtypes); the config may be set. */
    public boolean selectsNothing() {
        return name == null && versionRange == null && minimumTier == null && variants.isEmpty() && dtypes.isEmpty();
    }

    /** This requirement with {@code more} knobs laid over its configuration. */
    public Requirement configuredBy(Map<String, Integer> more) {
        Map<String, Integer> knobs = new TreeMap<>(config);
        knobs.putAll(more);
        return new Requirement(name, versionRange, minimumTier, variants, dtypes, knobs);
    }

    private static List<String> union(List<String> a, List<String> b) {
        LinkedHashSet<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** For messages: the parts that are set, e.g. {@code name tttv2/attention/sdpa, version [1.0,2)}; "anything" if none. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        append(s, name == null ? null : "name " + name);
        append(s, versionRange == null ? null : "version " + versionRange);
        append(s, minimumTier == null ? null : "tier " + minimumTier.id() + " or better");
        append(s, variants.isEmpty() ? null : "variants " + String.join(",", variants));
        append(s, dtypes.isEmpty() ? null : "dtype " + String.join(",", dtypes));
        return s.isEmpty() ? "anything" : s.toString();
    }

    private static void append(StringBuilder s, String part) {
        if (part != null) {
            s.append(s.isEmpty() ? "" : ", ").append(part);
        }
    }
}
