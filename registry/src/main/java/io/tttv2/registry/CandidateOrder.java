package io.tttv2.registry;

import io.tttv2.api.candidate.CandidateDescriptor;
import java.util.Comparator;
import org.osgi.framework.Version;

/** The default preference among acceptable candidates: the most trusted listed tier, then the highest version. */
final class CandidateOrder {

    /** Best first; name and bundle break ties so the choice never depends on installation order. */
    static final Comparator<CandidateDescriptor> PREFERENCE = Comparator
            .comparing((CandidateDescriptor c) -> c.listedTier().ordinal())
            .thenComparing((CandidateDescriptor c) -> Version.parseVersion(c.version()), Comparator.reverseOrder())
            .thenComparing(CandidateDescriptor::name)
            .thenComparing(CandidateDescriptor::bundle);

    private CandidateOrder() {
    }
}
