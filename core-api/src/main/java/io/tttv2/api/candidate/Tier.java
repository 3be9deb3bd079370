package io.tttv2.api.candidate;

import java.util.EnumSet;
import java.util.Set;

/**
 * How much the project vouches for a candidate, from most to least. A candidate is listed under a tier
 * only if it holds that tier's {@link #required() certifications}.
 */
public enum Tier {
    CORE("core", EnumSet.of(Certification.FUNCTIONALLY_TESTED, Certification.PERFORMANCE_VERIFIED)),
    CONTRIB("contrib", EnumSet.of(Certification.FUNCTIONALLY_TESTED)),
    COMMUNITY("community", EnumSet.noneOf(Certification.class)),
    EXPERIMENTAL("experimental", EnumSet.noneOf(Certification.class));

    private final String id;
    private final EnumSet<Certification> required;

    Tier(String id, EnumSet<Certification> required) {
        this.id = id;
        this.required = required;
    }

    /** The name used in manifests and on the command line. */
    public String id() {
        return id;
    }

    /** The certifications a candidate must hold to be listed under this tier. */
    public Set<Certification> required() {
        return EnumSet.copyOf(required);
    }

    /** True if this tier is at least as trusted as {@code other}. */
    public boolean atLeast(Tier other) {
        return ordinal() <= other.ordinal();
    }

    /** The tier named {@code id}; throws with the known names if there is none. */
    public static Tier of(String id) {
        for (Tier t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tier '" + id + "', expected one of core, contrib, community, experimental");
    }
}
