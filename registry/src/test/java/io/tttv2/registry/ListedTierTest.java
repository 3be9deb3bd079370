package io.tttv2.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.api.candidate.Certification;
import io.tttv2.api.candidate.Tier;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A candidate is listed under a tier only if it holds that tier's certifications (Tier.required()). */
class ListedTierTest {

    @Test
    void aBackedClaimIsListedAsClaimed() {
        for (Tier t : Tier.values()) {
            assertEquals(t, Candidates.of("acme/mlp/x", "1.0.0", t).listedTier());
        }
    }

    @Test
    void anUnbackedClaimFallsToTheMostTrustedTierItsCertificationsBack() {
        assertEquals(Tier.CONTRIB, Candidates.of("acme/mlp/x", "1.0.0", Tier.CORE, Set.of(Certification.FUNCTIONALLY_TESTED)).listedTier());
        assertEquals(Tier.COMMUNITY, Candidates.of("acme/mlp/x", "1.0.0", Tier.CORE, Set.of(Certification.PERFORMANCE_VERIFIED)).listedTier());
        assertEquals(Tier.COMMUNITY, Candidates.of("acme/mlp/x", "1.0.0", Tier.CONTRIB, Set.of()).listedTier());
        // a lower claim is never raised by the certifications held
        assertEquals(Tier.EXPERIMENTAL, Candidates.of("acme/mlp/x", "1.0.0", Tier.EXPERIMENTAL,
                Set.of(Certification.FUNCTIONALLY_TESTED, Certification.PERFORMANCE_VERIFIED)).listedTier());
    }
}
