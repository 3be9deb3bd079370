package io.tttv2.api.candidate;

/** The certifications a candidate can hold; tiers require some of them (see {@link Tier#required()}). */
public enum Certification {
    FUNCTIONALLY_TESTED("functionally-tested"),
    PERFORMANCE_VERIFIED("performance-verified"),
    DEVICE_VALIDATED("device-validated"),
    PRODUCTION_CERTIFIED("production-certified");

    private final String id;

    Certification(String id) {
        this.id = id;
    }

    /** The name used in manifests. */
    public String id() {
        return id;
    }

    /** The certification named {@code id}; throws with the known names if there is none. */
    public static Certification of(String id) {
        for (Certification c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown certification '" + id
                + "', expected one of functionally-tested, performance-verified, device-validated, production-certified");
    }
}
