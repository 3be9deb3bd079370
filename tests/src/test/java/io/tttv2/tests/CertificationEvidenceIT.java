package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certifications with evidence: on the llama fixture the model candidate's {@code functionally-tested} is
 * claimed until {@code validate --record} records a passing validation of that model; then {@code modules}
 * lists it as backed (model, date) and {@code modules --check --model} passes. A record of another version of
 * the candidate, or of another model (another config.json), backs nothing; a file that is no record is one
 * warning line.
 */
class CertificationEvidenceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "tttv2/model/llama-family";
    private static final Path LLAMA = BuiltDistribution.root().resolve("testdata/fixtures/llama");

    @TempDir
    Path home;

    private LauncherRun tttv2(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        return LauncherRun.of(BuiltDistribution.launcherJar(), all.toArray(String[]::new));
    }

    /** The functionally-tested entry of the model candidate in {@code modules --json}. */
    private JsonNode modelEvidence() throws Exception {
        LauncherRun run = tttv2("modules", "--json");
        assertEquals(0, run.exitCode(), run.transcript());
        for (JsonNode c : JSON.readTree(String.join("\n", run.out())).get("candidates")) {
            if (c.get("name").asText().equals(MODEL)) {
                for (JsonNode e : c.get("certificationEvidence")) {
                    if (e.get("certification").asText().equals("functionally-tested")) {
                        return e;
                    }
                }
            }
        }
        throw new AssertionError("no functionally-tested evidence of " + MODEL + " in\n" + run.transcript());
    }

    /** The certifications line under the model candidate's row of {@code modules}. */
    private String certificationsLine() throws Exception {
        LauncherRun run = tttv2("modules");
        assertEquals(0, run.exitCode(), run.transcript());
        List<String> out = run.out();
        for (int i = 0; i < out.size() - 1; i++) {
            if (out.get(i).startsWith(MODEL + " ")) {
                assertTrue(out.get(i + 1).startsWith("    certifications: "), run.transcript());
                return out.get(i + 1);
            }
        }
        throw new AssertionError("no row for " + MODEL + " in\n" + run.transcript());
    }

    private LauncherRun check(Path model) throws Exception {
        return tttv2("modules", "--check", "--model", model.toString());
    }

    @Test
    void claimedUntilARecordedValidationOfThatModelAndVersionBacksIt() throws Exception {
        String config = sha256(LLAMA.resolve("config.json"));
        assertEquals("claimed", modelEvidence().get("status").asText());
        assertEquals("    certifications: functionally-tested claimed", certificationsLine());
        LauncherRun unbacked = check(LLAMA);
        assertEquals(1, unbacked.exitCode(), unbacked.transcript());
        assertTrue(unbacked.out().stream().anyMatch(l -> l.startsWith("unbacked: " + MODEL + " 1.0.0 (model) claims functionally-tested,"
                + " but no validation of " + LLAMA + " (config " + config.substring(0, 8) + ") that ran this version is recorded")),
                unbacked.transcript());

        LauncherRun validate = tttv2("validate", "--record", "--model", LLAMA.toString(),
                "--reference", LLAMA.resolve("reference.safetensors").toString());
        assertEquals(0, validate.exitCode(), validate.transcript());
        Path record = onlyRecord();
        assertTrue(validate.out().stream().anyMatch(l -> l.startsWith("recorded " + record + ": it backs functionally-tested of "
                + MODEL + " 1.0.0, ")), validate.transcript());
        JsonNode recorded = JSON.readTree(record.toFile());
        assertEquals(config, recorded.get("configSha256").asText());
        assertEquals("LlamaForCausalLM", recorded.get("architecture").asText());
        assertTrue(recorded.get("tool").asText().startsWith("tttv2 "), recorded.toString());
        assertTrue(recorded.get("checks").size() > 2, recorded.toString());
        for (JsonNode c : recorded.get("checks")) {
            assertTrue(c.get("passed").asBoolean(), recorded.toString());
        }
        List<String> kinds = new ArrayList<>();
        recorded.get("candidates").forEach(c -> kinds.add(c.get("kind").asText()));
        assertTrue(kinds.containsAll(List.of("model", "attention", "mlp", "norm")), kinds.toString());

        JsonNode backed = modelEvidence();
        assertEquals("backed", backed.get("status").asText(), backed.toString());
        assertEquals(config, backed.get("configSha256").asText());
        String day = recorded.get("date").asText().substring(0, 10);
        assertEquals("    certifications: functionally-tested backed (model llama (LlamaForCausalLM, config " + config.substring(0, 8)
                + "), " + day + ")", certificationsLine());
        LauncherRun clean = check(LLAMA);
        assertEquals(0, clean.exitCode(), clean.transcript());
        assertTrue(clean.out().contains("Every candidate " + LLAMA + " uses that claims functionally-tested is backed by a validation"
                + " recorded for it."), clean.transcript());

        // the same record naming another version of the model candidate backs this version no more
        ObjectNode otherVersion = (ObjectNode) recorded.deepCopy();
        otherVersion.withArray("candidates").forEach(c -> {
            if (c.get("name").asText().equals(MODEL)) {
                ((ObjectNode) c).put("version", "0.9.0");
            }
        });
        JSON.writeValue(record.toFile(), otherVersion);
        assertEquals("claimed", modelEvidence().get("status").asText());
        LauncherRun stale = check(LLAMA);
        assertEquals(1, stale.exitCode(), stale.transcript());
        assertEquals(1, stale.out().stream().filter(l -> l.startsWith("unbacked: " + MODEL + " 1.0.0 ")).count(), stale.transcript());
        // the candidates that did run at their versions stay backed: only the model line is unbacked
        assertEquals(1, stale.out().stream().filter(l -> l.startsWith("unbacked: ")).count(), stale.transcript());
    }

    @Test
    void aRecordOfAnotherModelDoesNotBackThisOneAndAFileThatIsNoRecordIsAWarning(@TempDir Path other) throws Exception {
        // a validation that does not pass (no error allowed at all) records nothing
        LauncherRun failed = tttv2("validate", "--record", "--atol", "0", "--min-pcc", "1.0", "--model", LLAMA.toString(),
                "--reference", LLAMA.resolve("reference.safetensors").toString());
        assertEquals(1, failed.exitCode(), failed.transcript());
        assertTrue(failed.out().contains("not recorded: the validation did not pass, so it backs no certification"), failed.transcript());
        assertTrue(Files.notExists(home.resolve("validations")), failed.transcript());

        LauncherRun validate = tttv2("validate", "--record", "--model", LLAMA.toString(),
                "--reference", LLAMA.resolve("reference.safetensors").toString());
        assertEquals(0, validate.exitCode(), validate.transcript());
        Path copy = Files.createDirectories(other.resolve("llama-copy"));
        try (Stream<Path> files = Files.list(LLAMA)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        // another model: the same weights, a config.json that differs (a key HF ignores)
        String config = Files.readString(copy.resolve("config.json"));
        Files.writeString(copy.resolve("config.json"), config.replaceFirst("\\{", "{\"_note\": \"copy\","));
        LauncherRun check = check(copy);
        assertEquals(1, check.exitCode(), check.transcript());
        assertTrue(check.out().stream().anyMatch(l -> l.startsWith("unbacked: " + MODEL + " 1.0.0 (model) ")), check.transcript());
        assertEquals(0, check(LLAMA).exitCode());

        Path junk = Files.writeString(home.resolve("validations/junk.json"), "{\"model\": 3");
        LauncherRun listing = tttv2("modules");
        assertEquals(0, listing.exitCode(), listing.transcript());
        assertEquals(1, listing.err().size(), listing.transcript());
        assertTrue(listing.err().get(0).startsWith("tttv2: warning: " + junk + ": not a validation record ("), listing.transcript());
        assertTrue(listing.err().get(0).endsWith("); ignored"), listing.transcript());
    }

    private Path onlyRecord() throws Exception {
        try (Stream<Path> files = Files.list(home.resolve("validations"))) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            assertTrue(all.get(0).getFileName().toString().endsWith(".json"), all.toString());
            return all.get(0);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The functionally-tested evidence of {@code name} in {@code modules --json}, and the run. */
    private JsonNode evidenceOf(String name, LauncherRun run) throws Exception {
        assertEquals(0, run.exitCode(), run.transcript());
        for (JsonNode c : JSON.readTree(String.join("\n", run.out())).get("candidates")) {
            if (c.get("name").asText().equals(name)) {
                return c.get("certificationEvidence").get(0);
            }
        }
        throw new AssertionError("no candidate " + name + " in\n" + run.transcript());
    }

    @Test
    void aReportShippedInABundleBacksItsOwnCandidateWhileItsClassesAreTheOnesItCovers(@TempDir Path dir) throws Exception {
        String candidate = "io.tttv2.candidate;name=acme/norm/plain;kind=norm;version:Version=1.0.0;tier=experimental;"
                + "certifications:List<String>=\"functionally-tested\";dtypes:List<String>=\"F32\";devices:List<String>=cpu;"
                + "variants:List<String>=rms";
        GeneratedBundle bundle = GeneratedBundle.named("com.acme.plain").header("Import-Package", "io.tttv2.api.modules")
                .header("Provide-Capability", candidate).entry("com/acme/plain/PlainNorm.class", new byte[] {1, 2, 3});
        LauncherRun verify = tttv2("bundles", "verify", "--allow-unsigned", bundle.writeTo(dir, "plain.jar").toString());
        assertEquals(0, verify.exitCode(), verify.transcript());
        String line = verify.out().stream().filter(l -> l.startsWith("  classes SHA-256 ")).findFirst().orElseThrow();
        String classes = line.split(" ")[4];
        assertEquals(64, classes.length(), line);

        ObjectNode report = JSON.createObjectNode();
        report.put("model", LLAMA.toString());
        report.put("architecture", "LlamaForCausalLM");
        report.put("configSha256", sha256(LLAMA.resolve("config.json")));
        ObjectNode used = report.putArray("candidates").addObject();
        used.put("kind", "norm");
        used.put("name", "acme/norm/plain");
        used.put("version", "1.0.0");
        ObjectNode check = report.putArray("checks").addObject();
        check.put("metric", "logits");
        check.put("passed", true);
        check.put("pcc", 0.999999);
        check.put("maxAbsError", 2e-6);
        report.put("date", "2026-12-01T09:00:00Z");
        report.put("tool", "acme ci");
        report.put("classesSha256", classes);
        bundle.entry("META-INF/tttv2/validation.json", JSON.writeValueAsBytes(report));
        LauncherRun install = tttv2("bundles", "install", "--allow-unsigned", bundle.writeTo(dir, "shipped.jar").toString());
        assertEquals(0, install.exitCode(), install.transcript());
        LauncherRun listing = tttv2("modules", "--json");
        JsonNode backed = evidenceOf("acme/norm/plain", listing);
        assertEquals("backed", backed.get("status").asText(), listing.transcript());
        assertEquals("shipped in bundle com.acme.plain/1.0.0", backed.get("source").asText());
        assertEquals(List.of(), listing.err(), listing.transcript());

        // other classes under the same report: it covers them no more
        assertEquals(0, tttv2("bundles", "remove", "com.acme.plain").exitCode());
        bundle.entry("com/acme/plain/PlainNorm.class", new byte[] {9, 9, 9});
        assertEquals(0, tttv2("bundles", "install", "--allow-unsigned", bundle.writeTo(dir, "changed.jar").toString()).exitCode());
        LauncherRun changed = tttv2("modules", "--json");
        assertEquals("claimed", evidenceOf("acme/norm/plain", changed).get("status").asText(), changed.transcript());
        assertEquals(1, changed.err().size(), changed.transcript());
        assertTrue(changed.err().get(0).startsWith("tttv2: warning: bundle com.acme.plain/1.0.0: META-INF/tttv2/validation.json covers"
                + " classes with SHA-256 " + classes + ", the bundle's are "), changed.transcript());
        assertTrue(changed.err().get(0).endsWith("; it backs nothing"), changed.transcript());
    }
}
