package io.tttv2.registry;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateNamespace;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The rules {@code modules --check} enforces, over declarations and services. Pure: the framework's state
 * comes in as arguments.
 */
final class Governance {

    private Governance() {
    }

    /**
     * @param declared      accepted declarations
     * @param rejections    refused declarations and malformed assemblies
     * @param offers        implementation services
     * @param unresolvedWhy for a bundle id: why the bundle does not resolve, or null if it resolves
     */
    static List<String> violations(List<DeclaredCandidate> declared, List<String> rejections, List<ServiceOffer> offers,
                                   LongFunction<String> unresolvedWhy) {
        List<String> out = new ArrayList<>(rejections);
        Set<Long> unresolvedBundles = new LinkedHashSet<>();
        for (DeclaredCandidate d : declared) {
            CandidateDescriptor c = d.descriptor();
            if (!c.meetsTier()) {
                out.add("candidate " + c.name() + " " + c.version() + " (" + c.bundle() + ") claims tier " + c.tier().id()
                        + " without " + RequirementCheck.lacking(c) + "; listed as " + c.listedTier().id());
            }
            String why = unresolvedWhy.apply(d.bundleId());
            if (why != null && unresolvedBundles.add(d.bundleId())) {
                out.add("bundle " + c.bundle() + " declares candidates but does not resolve: " + why);
            }
        }
        for (ServiceOffer o : offers) {
            String service = "service " + o.kind().serviceType().getSimpleName() + " #" + o.serviceId() + " of bundle " + o.bundle();
            if (o.name() == null) {
                out.add(service + " carries no " + CandidateNamespace.SERVICE_NAME
                        + " property: no assembly can bind it");
                continue;
            }
            List<DeclaredCandidate> same = declared.stream().filter(d -> d.descriptor().name().equals(o.name())
                    && Bindings.sameVersion(o.version(), d.descriptor().version())).toList();
            if (same.isEmpty()) {
                out.add(service + " claims candidate " + o.name() + " " + o.version() + ", which no manifest declares");
            } else if (same.stream().noneMatch(d -> d.bundleId() == o.bundleId())) {
                out.add(service + " claims candidate " + o.name() + " " + o.version() + ", which "
                        + same.get(0).descriptor().bundle() + " declares");
            } else {
                CandidateDescriptor c = same.stream().filter(d -> d.bundleId() == o.bundleId()).findFirst().orElseThrow().descriptor();
                if (c.kind() != o.kind()) {
                    out.add(service + " claims candidate " + o.name() + ", declared as kind " + c.kind().id());
                }
                if (o.tier() != null && !o.tier().equals(c.tier().id())) {
                    out.add(service + " says tier " + o.tier() + ", its declaration says " + c.tier().id());
                }
            }
        }
        return out;
    }
}
