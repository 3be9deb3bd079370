package io.tttv2.registry;

import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.Certification;
import io.tttv2.api.candidate.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/** Why a candidate does not meet a requirement, in the words {@code modules --explain} prints. Pure. */
final class RequirementCheck {

    private final Requirement requirement;
    private final VersionRange range;     // null: any version

    /** @throws UnresolvedException if the requirement's version range is not an OSGi range */
    RequirementCheck(Requirement requirement, String who) {
        this.requirement = requirement;
        this.range = parseRange(requirement.versionRange(), who);
    }

    /** The reasons {@code candidate} is not acceptable; empty if it is (availability aside). */
    List<String> rejections(CandidateDescriptor candidate) {
        List<String> reasons = new ArrayList<>();
        if (requirement.name() != null && !requirement.name().equals(candidate.name())) {
            reasons.add("name is not " + requirement.name());
        }
        if (range != null && !range.includes(Version.parseVersion(candidate.version()))) {
            reasons.add("version " + candidate.version() + " outside " + requirement.versionRange());
        }
        Tier listed = candidate.listedTier();
        if (requirement.minimumTier() != null && !listed.atLeast(requirement.minimumTier())) {
            reasons.add("tier " + listed.id() + claimed(candidate) + " below " + requirement.minimumTier().id());
        }
        List<String> variants = missing(requirement.variants(), candidate.variants());
        if (!variants.isEmpty()) {
            reasons.add("no variant " + String.join(", ", variants));
        }
        List<String> dtypes = missing(requirement.dtypes(), candidate.dtypes());
        if (!dtypes.isEmpty()) {
            reasons.add("no dtype " + String.join(", ", dtypes));
        }
        return reasons;
    }

    /** " (claims core without performance-verified)" when the listed tier is lower than the claimed one. */
    static String claimed(CandidateDescriptor candidate) {
        if (candidate.listedTier() == candidate.tier()) {
            return "";
        }
        return " (claims " + candidate.tier().id() + " without " + lacking(candidate) + ")";
    }

    /** The certifications the claimed tier requires that the candidate does not hold, e.g. "performance-verified". */
    static String lacking(CandidateDescriptor candidate) {
        return candidate.tier().required().stream().filter(c -> !candidate.certifications().contains(c))
                .map(Certification::id).sorted().collect(Collectors.joining(", "));
    }

    private static List<String> missing(List<String> needed, List<String> offered) {
        return needed.stream().filter(n -> offered.stream().noneMatch(o -> o.equalsIgnoreCase(n))).toList();
    }

    private static VersionRange parseRange(String text, String who) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new VersionRange(text.trim());
        } catch (IllegalArgumentException e) {
            throw new UnresolvedException(who + ": version range '" + text + "' is not an OSGi range such as [1.0,2)");
        }
    }
}
