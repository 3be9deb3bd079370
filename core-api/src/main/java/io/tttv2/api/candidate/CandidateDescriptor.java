package io.tttv2.api.candidate;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One implementation offered by a bundle, as declared in its manifest: read without loading any of the
 * bundle's classes.
 *
 * @param name           hierarchical {@code owner/kind/name}, for example {@code tttv2/attention/sdpa}
 * @param kind           the module kind it implements
 * @param version        the candidate's own version, {@code major.minor.micro[.qualifier]}
 * @param tier           the tier it claims
 * @param certifications certifications it holds
 * @param dtypes         tensor dtypes it supports
 * @param devices        devices it runs on
 * @param variants       variants of its kind it supports
 * @param bundle         symbolic name and version of the bundle declaring it, {@code bsn/version}
 */
public record CandidateDescriptor(
        String name,
        ModuleKind kind,
        String version,
        Tier tier,
        Set<Certification> certifications,
        List<String> dtypes,
        List<String> devices,
        List<String> variants,
        String bundle) {

    public CandidateDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(tier, "tier");
        certifications = Set.copyOf(certifications);
        dtypes = List.copyOf(dtypes);
        devices = List.copyOf(devices);
        variants = List.copyOf(variants);
        Objects.requireNonNull(bundle, "bundle");
    }

    /** True if the candidate holds every certification its claimed tier requires. */
    public boolean meetsTier() {
        return certifications.containsAll(tier.required());
    }

    /**
     * The tier the candidate is listed under: the one it claims if it holds that tier's certifications,
     * else the most trusted less trusted tier whose certifications it holds (a "core" claim with only
     * functionally-tested is listed as contrib).
     */
    public Tier listedTier() {
        for (Tier t : Tier.values()) {
            if (t.ordinal() >= tier.ordinal() && certifications.containsAll(t.required())) {
                return t;
            }
        }
        return Tier.EXPERIMENTAL;
    }
}
