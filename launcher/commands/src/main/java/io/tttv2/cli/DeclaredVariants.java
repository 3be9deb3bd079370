package io.tttv2.cli;

import io.tttv2.api.candidate.CandidateNamespace;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/**
 * What a model bundle's manifest says it runs: the {@code variants} (HF architectures) of its {@code kind=model}
 * candidate capability. Read from the bundle's headers, so no class of the bundle is loaded to answer.
 */
final class DeclaredVariants {

    private DeclaredVariants() {
    }

    /**
     * False only if {@code bundle} declares model candidates with variants and none of them lists
     * {@code architecture}; a bundle that declares nothing may run anything, as far as its manifest tells.
     */
    static boolean mayRun(Bundle bundle, String architecture) {
        BundleRevision revision = bundle == null ? null : bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return true;
        }
        boolean declared = false;
        for (BundleCapability capability : revision.getDeclaredCapabilities(CandidateNamespace.NAMESPACE)) {
            if (!"model".equals(capability.getAttributes().get(CandidateNamespace.KIND))
                    || !(capability.getAttributes().get(CandidateNamespace.VARIANTS) instanceof List<?> variants)) {
                continue;
            }
            if (variants.contains(architecture)) {
                return true;
            }
            declared = true;
        }
        return !declared;
    }
}
