package io.tttv2.cli.modules;

import io.tttv2.api.candidate.CandidateDescriptor;

/** How a candidate's tier reads in tables: the listed tier, and the claim when it is not backed. */
final class Tiers {

    private Tiers() {
    }

    /** {@code core}, or {@code contrib (claims core)} when the claim lacks its certifications. */
    static String label(CandidateDescriptor c) {
        return c.listedTier() == c.tier() ? c.tier().id() : c.listedTier().id() + " (claims " + c.tier().id() + ")";
    }
}
