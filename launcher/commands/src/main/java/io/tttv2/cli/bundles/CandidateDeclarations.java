package io.tttv2.cli.bundles;

import io.tttv2.api.candidate.CandidateNamespace;
import io.tttv2.api.candidate.Certification;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import io.tttv2.api.tensor.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.framework.Version;

/**
 * Checks the {@code io.tttv2.candidate} capabilities a bundle from outside the distribution declares, as the
 * framework parsed them: stricter than the registry, which skips a malformed declaration with a warning —
 * here it keeps the bundle out. Pure, so it is testable without a framework.
 */
public final class CandidateDeclarations {

    /** The owner segment of the library's own candidate names: a third party cannot declare under it. */
    static final String LIBRARY_OWNER = "tttv2";
    private static final String NAME_PATTERN = "[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9._/-]*";
    private static final String TOKEN_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";

    /** One accepted declaration, for listings. */
    public record Declared(String name, ModuleKind kind, Version version, Tier tier) {
        public String describe() {
            return name + " " + version + " (" + kind.id() + ", " + tier.id() + ")";
        }
    }

    private CandidateDeclarations() {
    }

    /**
     * @param declarations the attributes of each declared capability of the namespace
     * @return the declarations, checked
     * @throws BundleRefused naming the candidate, the attribute, what was expected and found
     */
    public static List<Declared> check(List<Map<String, Object>> declarations) throws BundleRefused {
        List<Declared> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> attributes : declarations) {
            Declared d = checkOne(attributes);
            if (!seen.add(d.name() + " " + d.version())) {
                throw new BundleRefused("declares candidate " + d.name() + " " + d.version() + " twice");
            }
            out.add(d);
        }
        return out;
    }

    private static Declared checkOne(Map<String, Object> attributes) throws BundleRefused {
        String name = string(attributes, CandidateNamespace.NAME, "(unnamed)");
        if (!name.matches(NAME_PATTERN)) {
            throw bad(name, CandidateNamespace.NAME, "owner/kind/name in lower case, e.g. acme/norm/rms-fast", "'" + name + "'");
        }
        String[] parts = name.split("/");
        String kindId = string(attributes, CandidateNamespace.KIND, name);
        ModuleKind kind;
        try {
            kind = ModuleKind.of(kindId);
        } catch (IllegalArgumentException e) {
            throw bad(name, CandidateNamespace.KIND, "one of " + Arrays.stream(ModuleKind.values()).map(ModuleKind::id)
                    .collect(Collectors.joining(", ")), "'" + kindId + "'");
        }
        if (!parts[1].equals(kind.id())) {
            throw bad(name, CandidateNamespace.NAME, "the kind " + kind.id() + " as its second segment (owner/" + kind.id() + "/name)",
                    "'" + parts[1] + "'");
        }
        if (parts[0].equals(LIBRARY_OWNER)) {
            throw new BundleRefused("candidate " + name + ": the owner '" + LIBRARY_OWNER
                    + "' is the library's own; declare it under your own name (e.g. acme/" + kind.id() + "/" + parts[2] + ")");
        }
        Object rawVersion = attributes.get(CandidateNamespace.VERSION);
        Version version;
        if (rawVersion instanceof Version v) {
            version = v;
        } else if (rawVersion == null) {
            throw bad(name, CandidateNamespace.VERSION, "a version (version:Version=1.0.0)", "nothing");
        } else {
            try {
                version = Version.parseVersion(rawVersion.toString().trim());
            } catch (IllegalArgumentException e) {
                throw bad(name, CandidateNamespace.VERSION, "a version such as 1.0.0", "'" + rawVersion + "'");
            }
        }
        String tierId = string(attributes, CandidateNamespace.TIER, name);
        Tier tier;
        try {
            tier = Tier.of(tierId);
        } catch (IllegalArgumentException e) {
            throw bad(name, CandidateNamespace.TIER, "one of core, contrib, community, experimental", "'" + tierId + "'");
        }
        for (String id : list(attributes, CandidateNamespace.CERTIFICATIONS)) {
            try {
                Certification.of(id);
            } catch (IllegalArgumentException e) {
                throw bad(name, CandidateNamespace.CERTIFICATIONS, "functionally-tested, performance-verified, device-validated"
                        + " or production-certified", "'" + id + "'");
            }
        }
        List<String> dtypes = list(attributes, CandidateNamespace.DTYPES);
        if (dtypes.isEmpty()) {
            throw bad(name, CandidateNamespace.DTYPES, "the dtypes it supports (dtypes:List<String>=\"F32,BF16\")", "nothing");
        }
        for (String dtype : dtypes) {
            if (Arrays.stream(DType.values()).noneMatch(t -> t.name().equals(dtype))) {
                throw bad(name, CandidateNamespace.DTYPES, "dtype names (" + Arrays.stream(DType.values()).map(Enum::name)
                        .collect(Collectors.joining(", ")) + ")", "'" + dtype + "'");
            }
        }
        List<String> devices = list(attributes, CandidateNamespace.DEVICES);
        if (devices.isEmpty()) {
            throw bad(name, CandidateNamespace.DEVICES, "the devices it runs on (devices:List<String>=cpu)", "nothing");
        }
        for (String device : devices) {
            if (!device.matches(TOKEN_PATTERN)) {
                throw bad(name, CandidateNamespace.DEVICES, "device names such as cpu", "'" + device + "'");
            }
        }
        for (String variant : list(attributes, CandidateNamespace.VARIANTS)) {
            if (!variant.matches(TOKEN_PATTERN)) {
                throw bad(name, CandidateNamespace.VARIANTS, "variant names such as rms or offset-weight", "'" + variant + "'");
            }
        }
        return new Declared(name, kind, version, tier);
    }

    private static String string(Map<String, Object> attributes, String key, String candidate) throws BundleRefused {
        Object value = attributes.get(key);
        if (value == null || value.toString().isBlank()) {
            throw bad(candidate, key, "a value", "nothing");
        }
        if (!(value instanceof String)) {
            throw bad(candidate, key, "a string", value.getClass().getSimpleName() + " " + value);
        }
        return value.toString().trim();
    }

    /** A list attribute; a plain string is split at commas (a declaration without the List type). */
    private static List<String> list(Map<String, Object> attributes, String key) {
        Object value = attributes.get(key);
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> items) {
            items.forEach(item -> out.add(item.toString().trim()));
        } else if (value != null) {
            for (String item : value.toString().split(",")) {
                if (!item.isBlank()) {
                    out.add(item.trim());
                }
            }
        }
        return out;
    }

    private static BundleRefused bad(String candidate, String key, String expected, String found) {
        return new BundleRefused("candidate " + candidate + ": attribute '" + key + "' expected " + expected + ", found " + found);
    }
}
