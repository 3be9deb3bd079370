package io.tttv2.cli.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.Certification;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.candidate.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which records back which claims, and the store's round trip: written atomically, read back, junk reported. */
class EvidenceTest {

    private static final String LLAMA = "a".repeat(64);
    private static final String OTHER = "b".repeat(64);

    private static CandidateDescriptor norm(String version, Certification... certifications) {
        return new CandidateDescriptor("tttv2/norm/rms", ModuleKind.NORM, version, Tier.CORE, Set.of(certifications),
                List.of("F32"), List.of("cpu"), List.of("rms"), "io.tttv2.core.impl/0.1.0");
    }

    private static ValidationRecord record(String config, String normVersion, String date) {
        return new ValidationRecord("/models/llama", "LlamaForCausalLM", config,
                List.of(new ValidationRecord.Used("model", "tttv2/model/llama-family", "1.0.0"),
                        new ValidationRecord.Used("norm", "tttv2/norm/rms", normVersion)),
                List.of(new ValidationRecord.Measured("logits", true, 0.999999, 1e-6, null)), date, "tttv2 0.1.0");
    }

    @Test
    void onlyARecordOfThatVersionBacksFunctionallyTestedAndForAModelOnlyThatModelsRecords() {
        Evidence evidence = new Evidence(List.of(record(LLAMA, "1.0.0", "2026-12-01T10:00:00Z"),
                record(OTHER, "1.0.0", "2026-12-03T10:00:00Z"), record(LLAMA, "1.1.0", "2026-12-04T10:00:00Z")), List.of());
        CandidateDescriptor v1 = norm("1.0.0", Certification.FUNCTIONALLY_TESTED, Certification.PERFORMANCE_VERIFIED);
        assertEquals("2026-12-03T10:00:00Z", evidence.backing(v1, Certification.FUNCTIONALLY_TESTED, null).orElseThrow().record().date(),
                "the latest record of any model");
        assertEquals("2026-12-01T10:00:00Z", evidence.backing(v1, Certification.FUNCTIONALLY_TESTED, LLAMA).orElseThrow().record().date());
        assertTrue(evidence.backing(v1, Certification.FUNCTIONALLY_TESTED, "c".repeat(64)).isEmpty(), "no record of that model");
        assertTrue(evidence.backing(v1, Certification.PERFORMANCE_VERIFIED, null).isEmpty(), "a validation shows no performance");
        assertTrue(evidence.backing(norm("1.2.0", Certification.FUNCTIONALLY_TESTED), Certification.FUNCTIONALLY_TESTED, null).isEmpty(),
                "no record ran 1.2.0");
        assertTrue(evidence.backing(norm("1.0.0"), Certification.FUNCTIONALLY_TESTED, null).isEmpty(), "nothing claimed, nothing backed");
        assertEquals(List.of("functionally-tested backed (model llama (LlamaForCausalLM, config bbbbbbbb), 2026-12-03)",
                "performance-verified claimed"), evidence.describe(v1));
    }

    @Test
    void aShippedReportBacksOnlyItsOwnBundlesCandidates() {
        ShippedReports.Shipped shipped = new ShippedReports.Shipped(record(LLAMA, "1.0.0", "2026-12-02T10:00:00Z"), "com.acme.norm/1.0.0");
        Evidence evidence = new Evidence(List.of(), List.of(shipped));
        CandidateDescriptor core = norm("1.0.0", Certification.FUNCTIONALLY_TESTED);
        assertTrue(evidence.backing(core, Certification.FUNCTIONALLY_TESTED, null).isEmpty(), "another bundle's report backs nothing");
        CandidateDescriptor own = new CandidateDescriptor("tttv2/norm/rms", ModuleKind.NORM, "1.0.0", Tier.EXPERIMENTAL,
                Set.of(Certification.FUNCTIONALLY_TESTED), List.of("F32"), List.of("cpu"), List.of("rms"), "com.acme.norm/1.0.0");
        assertEquals("shipped in bundle com.acme.norm/1.0.0", evidence.backing(own, Certification.FUNCTIONALLY_TESTED, LLAMA).orElseThrow().source());
        assertEquals(List.of("functionally-tested backed (model llama (LlamaForCausalLM, config aaaaaaaa), 2026-12-02,"
                + " shipped in bundle com.acme.norm/1.0.0)"), evidence.describe(own));
    }

    @Test
    void recordsAreWrittenWholeReadBackAndJunkIsReportedNotUsed(@TempDir Path home) throws Exception {
        ValidationRecords records = new ValidationRecords(home);
        Path file = records.write(record(LLAMA, "1.0.0", "2026-12-04T15:10:00Z"));
        assertEquals(home.resolve("validations/20261204T151000Z-aaaaaaaaaaaa.json"), file);
        Files.writeString(home.resolve("validations/broken.json"), "{\"model\": ");
        Files.writeString(home.resolve("validations/partial.json"), "{\"model\": \"/m\", \"candidates\": []}");
        Files.writeString(home.resolve("validations/.record-1.part"), "half");
        List<ValidationRecord> all = records.all();
        assertEquals(List.of(record(LLAMA, "1.0.0", "2026-12-04T15:10:00Z")), all);
        assertEquals(2, records.unreadable().size(), records.unreadable().toString());
        assertTrue(records.unreadable().get(0).startsWith(home.resolve("validations/broken.json") + ": not a validation record ("),
                records.unreadable().toString());
        assertEquals(home.resolve("validations/partial.json") + ": not a validation record (model, configSha256, date, checks"
                + " and candidates, each with name and version, are required); ignored", records.unreadable().get(1));
    }
}
