package io.tttv2.registry;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.Certification;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Candidate descriptors for tests: tiers with exactly the certifications they require unless told otherwise. */
final class Candidates {

    private Candidates() {
    }

    static CandidateDescriptor of(String name, String version, Tier tier) {
        return of(name, version, tier, tier.required());
    }

    static CandidateDescriptor of(String name, String version, Tier tier, Set<Certification> certifications) {
        ModuleKind kind = ModuleKind.of(name.split("/")[1]);
        return new CandidateDescriptor(name, kind, version, tier, certifications.isEmpty()
                ? EnumSet.noneOf(Certification.class) : EnumSet.copyOf(certifications),
                List.of("F32", "BF16"), List.of("cpu"), List.of("gqa", "mha"), "b." + name.replace('/', '.') + "/" + version);
    }
}
