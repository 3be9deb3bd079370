package io.tttv2.cli.bundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.Version;

/** Candidate declarations of outside bundles: name, kind, version, tier, certifications, dtypes, devices. */
class CandidateDeclarationsTest {

    private static Map<String, Object> good() {
        Map<String, Object> a = new HashMap<>();
        a.put("name", "acme/norm/rms-fast");
        a.put("kind", "norm");
        a.put("version", new Version(1, 0, 0));
        a.put("tier", "experimental");
        a.put("dtypes", List.of("F32", "BF16"));
        a.put("devices", List.of("cpu"));
        a.put("variants", List.of("rms", "offset-weight"));
        return a;
    }

    @Test
    void aWellFormedDeclarationIsAccepted() throws Exception {
        List<CandidateDeclarations.Declared> d = CandidateDeclarations.check(List.of(good()));
        assertEquals(List.of(new CandidateDeclarations.Declared("acme/norm/rms-fast", ModuleKind.NORM, new Version(1, 0, 0),
                Tier.EXPERIMENTAL)), d);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "kind|nrom|candidate acme/norm/rms-fast: attribute 'kind' expected one of attention,",
            "name|Acme/Norm|candidate Acme/Norm: attribute 'name' expected owner/kind/name in lower case",
            "name|acme/mlp/rms-fast|candidate acme/mlp/rms-fast: attribute 'name' expected the kind norm as its second segment",
            "name|tttv2/norm/rms|candidate tttv2/norm/rms: the owner 'tttv2' is the library's own",
            "version|one.two|candidate acme/norm/rms-fast: attribute 'version' expected a version such as 1.0.0, found 'one.two'",
            "tier|gold|candidate acme/norm/rms-fast: attribute 'tier' expected one of core, contrib, community, experimental, found 'gold'",
            "certifications|audited|candidate acme/norm/rms-fast: attribute 'certifications' expected functionally-tested,",
            "dtypes|F64|candidate acme/norm/rms-fast: attribute 'dtypes' expected dtype names (F32, BF16, F16, I32, I64, Q8_0, Q4_0, Q4_K, Q5_K, Q6_K), found 'F64'",
            "devices|c p u|candidate acme/norm/rms-fast: attribute 'devices' expected device names such as cpu, found 'c p u'"})
    void aMalformedAttributeIsOneLineNamingIt(String key, String value, String expected) {
        Map<String, Object> a = good();
        a.put(key, value);
        BundleRefused e = assertThrows(BundleRefused.class, () -> CandidateDeclarations.check(List.of(a)));
        assertEquals(expected, e.getMessage().substring(0, Math.min(e.getMessage().length(), expected.length())), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @ParameterizedTest
    @CsvSource({"version", "dtypes", "devices", "tier", "kind"})
    void aMissingAttributeIsNamed(String key) {
        Map<String, Object> a = good();
        a.remove(key);
        BundleRefused e = assertThrows(BundleRefused.class, () -> CandidateDeclarations.check(List.of(a)));
        assertEquals(true, e.getMessage().startsWith("candidate acme/norm/rms-fast: attribute '" + key + "' expected"), e.getMessage());
        assertEquals(true, e.getMessage().endsWith("found nothing"), e.getMessage());
    }

    @Test
    void theSameCandidateTwiceIsRefused() {
        BundleRefused e = assertThrows(BundleRefused.class, () -> CandidateDeclarations.check(List.of(good(), good())));
        assertEquals("declares candidate acme/norm/rms-fast 1.0.0 twice", e.getMessage());
    }
}
