package io.tttv2.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.Certification;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BundleDeclarationsTest {

    private static Map<String, Object> sdpa(String version) {
        return Map.of("name", "tttv2/attention/sdpa", "kind", "attention", "version", version, "tier", "core",
                "certifications", List.of("functionally-tested", "performance-verified"),
                "dtypes", List.of("F32", "BF16"), "devices", "cpu");
    }

    @Test
    void parsesEveryAttribute() {
        BundleDeclarations d = BundleDeclarations.of(List.of(sdpa("1.2.0")), "io.tttv2.core.impl/0.1.0", (n, v) -> null);
        assertEquals(List.of(), d.rejected());
        var c = d.accepted().get(0);
        assertEquals("tttv2/attention/sdpa", c.name());
        assertEquals(ModuleKind.ATTENTION, c.kind());
        assertEquals("1.2.0", c.version());
        assertEquals(Tier.CORE, c.tier());
        assertEquals(List.of("F32", "BF16"), c.dtypes());
        assertEquals(List.of("cpu"), c.devices());
        assertTrue(c.certifications().contains(Certification.PERFORMANCE_VERIFIED));
        assertTrue(c.meetsTier());
    }

    @Test
    void secondClaimOfTheSameNameAndVersionIsRejectedNamingTheHolder() {
        BundleDeclarations d = BundleDeclarations.of(List.of(sdpa("1.0.0")), "other/2.0.0",
                (n, v) -> n.equals("tttv2/attention/sdpa") && v.equals("1.0.0") ? "io.tttv2.core.impl/0.1.0" : null);
        assertEquals(List.of(), d.accepted());
        assertEquals(List.of("bundle other/2.0.0: candidate tttv2/attention/sdpa 1.0.0 is already declared by "
                + "io.tttv2.core.impl/0.1.0; a name and version may be claimed once"), d.rejected());
    }

    @Test
    void duplicatesWithinOneBundleAreRejectedToo() {
        BundleDeclarations d = BundleDeclarations.of(List.of(sdpa("1.0.0"), sdpa("1.0.0"), sdpa("1.1.0")), "b/1",
                (n, v) -> null);
        assertEquals(2, d.accepted().size());
        assertEquals(1, d.rejected().size());
    }

    @Test
    void malformedDeclarationsNameBundleKeyExpectedAndFound() {
        Map<String, Object> badTier = Map.of("name", "acme/mlp/fast", "kind", "mlp", "version", "1.0.0", "tier", "gold");
        Map<String, Object> noVersion = Map.of("name", "acme/mlp/fast", "kind", "mlp", "tier", "core");
        Map<String, Object> badName = Map.of("name", "fast", "kind", "mlp", "version", "1.0.0", "tier", "core");
        BundleDeclarations d = BundleDeclarations.of(List.of(badTier, noVersion, badName), "acme/1.0.0", (n, v) -> null);
        assertEquals(List.of(), d.accepted());
        assertEquals(List.of(
                "bundle acme/1.0.0: candidate attribute 'tier' expected one of core, contrib, community, experimental, found gold",
                "bundle acme/1.0.0: candidate attribute 'version' expected a version (version:Version=1.0.0), found nothing",
                "bundle acme/1.0.0: candidate attribute 'name' expected owner/kind/name in lower case, found fast"),
                d.rejected());
    }

    @Test
    void aTierWithoutItsCertificationsIsFlagged() {
        Map<String, Object> uncertified = Map.of("name", "acme/mlp/fast", "kind", "mlp", "version", "1.0.0",
                "tier", "contrib");
        var c = BundleDeclarations.of(List.of(uncertified), "acme/1", (n, v) -> null).accepted().get(0);
        assertEquals(false, c.meetsTier());
    }
}
