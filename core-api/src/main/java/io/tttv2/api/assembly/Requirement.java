package io.tttv2.api.assembly;

import io.tttv2.api.candidate.Tier;

/**
 * What an assembly accepts for one module kind; every part is optional (null: anything).
 *
 * @param name         the candidate's hierarchical name, e.g. {@code tttv2/attention/sdpa}
 * @param versionRange an OSGi version range, e.g. {@code [1.0,2)}
 * @param minimumTier  the least trusted tier accepted
 * @param variants     variants the candidate must support (empty: none required)
 */
public record Requirement(String name, String versionRange, Tier minimumTier, java.util.List<String> variants) {

    public Requirement {
        variants = variants == null ? java.util.List.of() : java.util.List.copyOf(variants);
    }

    /** Accepts any candidate of the kind. */
    public static Requirement any() {
        return new Requirement(null, null, null, java.util.List.of());
    }
}
