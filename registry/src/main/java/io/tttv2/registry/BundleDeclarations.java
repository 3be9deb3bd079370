package io.tttv2.registry;

import io.tttv2.api.candidate.CandidateDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What one bundle declared: the candidates accepted, and one line for each declaration refused.
 *
 * @param accepted descriptors parsed and not clashing with another bundle's name and version
 * @param rejected human-readable reasons, naming the bundle
 */
record BundleDeclarations(List<CandidateDescriptor> accepted, List<String> rejected) {

    /**
     * @param declared the attribute maps of the bundle's candidate capabilities
     * @param bundle   {@code bsn/version} of the bundle
     * @param taken    (name, version) → the bundle already holding that pair, or null
     */
    static BundleDeclarations of(List<Map<String, Object>> declared, String bundle,
                                 BiFunction<String, String, String> taken) {
        List<CandidateDescriptor> accepted = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (Map<String, Object> attributes : declared) {
            CandidateDescriptor candidate;
            try {
                candidate = CandidateCapabilities.parse(attributes, bundle);
            } catch (IllegalArgumentException e) {
                rejected.add(e.getMessage());
                continue;
            }
            String holder = taken.apply(candidate.name(), candidate.version());
            if (holder == null) {
                holder = accepted.stream()
                        .filter(c -> c.name().equals(candidate.name()) && c.version().equals(candidate.version()))
                        .map(CandidateDescriptor::bundle).findFirst().orElse(null);
            }
            if (holder != null) {
                rejected.add("bundle " + bundle + ": candidate " + candidate.name() + " " + candidate.version()
                        + " is already declared by " + holder + "; a name and version may be claimed once");
            } else {
                accepted.add(candidate);
            }
        }
        return new BundleDeclarations(List.copyOf(accepted), List.copyOf(rejected));
    }
}
