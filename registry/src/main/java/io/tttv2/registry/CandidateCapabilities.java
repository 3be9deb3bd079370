package io.tttv2.registry;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.candidate.Certification;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the attributes of one {@code io.tttv2.candidate} capability into a {@link CandidateDescriptor}.
 * Pure: takes the attribute map the framework parsed from the manifest, so it is testable without one.
 */
final class CandidateCapabilities {

    private CandidateCapabilities() {
    }

    /**
     * @param attributes the capability's attributes, as {@code Capability.getAttributes()} returns them
     * @param bundle     {@code bsn/version} of the declaring bundle, for the descriptor and for errors
     * @throws IllegalArgumentException naming the bundle, the attribute, what was expected and found
     */
    static CandidateDescriptor parse(Map<String, Object> attributes, String bundle) {
        String name = requiredString(attributes, CandidateNamespace.NAME, bundle);
        if (!name.matches("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*){2,}")) {
            throw bad(bundle, CandidateNamespace.NAME, "owner/kind/name in lower case", name);
        }
        String kindId = requiredString(attributes, CandidateNamespace.KIND, bundle);
        ModuleKind kind = parseEnum(() -> ModuleKind.of(kindId), bundle, CandidateNamespace.KIND, kindId);
        Object version = attributes.get(CandidateNamespace.VERSION);
        if (version == null) {
            throw bad(bundle, CandidateNamespace.VERSION, "a version (version:Version=1.0.0)", "nothing");
        }
        String tierId = requiredString(attributes, CandidateNamespace.TIER, bundle);
        Tier tier = parseEnum(() -> Tier.of(tierId), bundle, CandidateNamespace.TIER, tierId);
        Set<Certification> certifications = EnumSet.noneOf(Certification.class);
        for (String id : list(attributes, CandidateNamespace.CERTIFICATIONS)) {
            certifications.add(parseEnum(() -> Certification.of(id), bundle, CandidateNamespace.CERTIFICATIONS, id));
        }
        return new CandidateDescriptor(name, kind, version.toString(), tier, certifications,
                list(attributes, CandidateNamespace.DTYPES), list(attributes, CandidateNamespace.DEVICES),
                list(attributes, CandidateNamespace.VARIANTS), bundle);
    }

    private static String requiredString(Map<String, Object> attributes, String key, String bundle) {
        Object value = attributes.get(key);
        if (value == null || value.toString().isBlank()) {
            throw bad(bundle, key, "a value", "nothing");
        }
        return value.toString().trim();
    }

    /** A list attribute, accepting a single string too (a declaration without the List type). */
    private static List<String> list(Map<String, Object> attributes, String key) {
        Object value = attributes.get(key);
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> items) {
            for (Object item : items) {
                out.add(item.toString().trim());
            }
        } else if (value != null) {
            for (String item : value.toString().split(",")) {
                if (!item.isBlank()) {
                    out.add(item.trim());
                }
            }
        }
        return out;
    }

    private static <T> T parseEnum(java.util.function.Supplier<T> parse, String bundle, String key, String found) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw bad(bundle, key, e.getMessage().replaceFirst("^.*expected ", ""), found);
        }
    }

    private static IllegalArgumentException bad(String bundle, String key, String expected, String found) {
        return new IllegalArgumentException("bundle " + bundle + ": candidate attribute '" + key + "' expected "
                + expected + ", found " + found);
    }
}
