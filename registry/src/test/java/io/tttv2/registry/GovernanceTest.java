package io.tttv2.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.Certification;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GovernanceTest {

    private static final CandidateDescriptor SDPA = Candidates.of("tttv2/attention/sdpa", "1.0.0", Tier.CORE);
    private static final long CORE_BUNDLE = 7;

    private static ServiceOffer offer(long bundleId, String name, String version, String tier) {
        return new ServiceOffer(ModuleKind.ATTENTION, name, version, tier, bundleId, "b" + bundleId + "/1.0.0", 40 + bundleId, 0, null);
    }

    private static List<String> violations(List<DeclaredCandidate> declared, List<ServiceOffer> offers) {
        return Governance.violations(declared, List.of(), offers, id -> null);
    }

    @Test
    void aConsistentHostHasNone() {
        assertEquals(List.of(), violations(List.of(new DeclaredCandidate(CORE_BUNDLE, SDPA)),
                List.of(offer(CORE_BUNDLE, "tttv2/attention/sdpa", "1.0", "core"))));
    }

    @Test
    void aTierClaimedWithoutItsCertificationsIsReportedWithTheTierItIsListedUnder() {
        CandidateDescriptor bluff = Candidates.of("acme/attention/fast", "1.0.0", Tier.CORE, Set.of(Certification.FUNCTIONALLY_TESTED));
        assertEquals(List.of("candidate acme/attention/fast 1.0.0 (b.acme.attention.fast/1.0.0) claims tier core without "
                + "performance-verified; listed as contrib"), violations(List.of(new DeclaredCandidate(3, bluff)), List.of()));
    }

    @Test
    void servicesMustImplementACandidateTheirOwnBundleDeclares() {
        List<DeclaredCandidate> declared = List.of(new DeclaredCandidate(CORE_BUNDLE, SDPA));
        assertEquals(List.of(
                "service AttentionFactory #49 of bundle b9/1.0.0 carries no tttv2.candidate.name property: no assembly can bind it",
                "service AttentionFactory #48 of bundle b8/1.0.0 claims candidate acme/attention/ghost 1.0.0, which no manifest declares",
                "service AttentionFactory #46 of bundle b6/1.0.0 claims candidate tttv2/attention/sdpa 1.0.0, which "
                        + "b.tttv2.attention.sdpa/1.0.0 declares",
                "service AttentionFactory #47 of bundle b7/1.0.0 says tier contrib, its declaration says core"),
                violations(declared, List.of(offer(9, null, null, null), offer(8, "acme/attention/ghost", "1.0.0", "core"),
                        offer(6, "tttv2/attention/sdpa", "1.0.0", "core"), offer(CORE_BUNDLE, "tttv2/attention/sdpa", "1.0.0", "contrib"))));
    }

    @Test
    void rejectionsAndBundlesThatDoNotResolveAreReportedOnce() {
        CandidateDescriptor a = Candidates.of("acme/attention/a", "1.0.0", Tier.EXPERIMENTAL);
        CandidateDescriptor b = Candidates.of("acme/attention/b", "1.0.0", Tier.EXPERIMENTAL);
        List<String> v = Governance.violations(List.of(new DeclaredCandidate(5, a), new DeclaredCandidate(5, b)),
                List.of("bundle x/1: candidate ... is already declared"), List.of(),
                id -> id == 5 ? "imports io.tttv2.api.modules [2.0.0,3.0.0), installed: 1.0.0" : null);
        assertEquals(List.of("bundle x/1: candidate ... is already declared",
                "bundle b.acme.attention.a/1.0.0 declares candidates but does not resolve: imports io.tttv2.api.modules "
                        + "[2.0.0,3.0.0), installed: 1.0.0"), v);
    }
}
