package io.tttv2.cli.evidence;

import java.util.List;

/**
 * A validation that passed, kept as evidence ({@code tttv2 validate --record}): which model — its folder,
 * architecture and the SHA-256 of its {@code config.json}, which is its identity — ran with which candidates
 * (name and version, per kind, the model candidate included), what the checks measured, when, and with which
 * version of the tool. It backs the {@code functionally-tested} claim of exactly those candidate versions for
 * that model.
 *
 * @param model        the model folder, as given (absolute)
 * @param architecture the HF architecture, e.g. {@code LlamaForCausalLM}
 * @param configSha256 lower-case hex SHA-256 of the folder's {@code config.json}
 * @param candidates   the resolved assembly: one entry per kind the model obtained, and the model itself
 * @param checks       each check of the validation, all passed
 * @param date         when it ran, ISO-8601 UTC ({@code 2026-12-04T15:10:00Z})
 * @param tool         {@code tttv2 VERSION}
 */
public record ValidationRecord(String model, String architecture, String configSha256, List<Used> candidates,
                               List<Measured> checks, String date, String tool) {

    public ValidationRecord {
        // a file read back may lack them: ValidationRecords refuses such a record with one line, not here
        candidates = candidates == null ? null : List.copyOf(candidates);
        checks = checks == null ? null : List.copyOf(checks);
    }

    /** A candidate of the resolved assembly. */
    public record Used(String kind, String name, String version) {
    }

    /** One check: its metric and, for numeric ones, PCC and max abs error (null for the token check, which has a detail). */
    public record Measured(String metric, boolean passed, Double pcc, Double maxAbsError, String detail) {
    }

    /** True if this validation ran candidate {@code name} at exactly {@code version}. */
    public boolean ran(String name, String version) {
        return candidates.stream().anyMatch(u -> u.name().equals(name) && u.version().equals(version));
    }

    /** "llama (LlamaForCausalLM, config 3f2a9c1e)": the folder's name, architecture and the start of its hash. */
    public String describeModel() {
        String folder = model.replaceAll("[/\\\\]+$", "");
        folder = folder.substring(Math.max(folder.lastIndexOf('/'), folder.lastIndexOf('\\')) + 1);
        return folder + " (" + architecture + ", config " + configSha256.substring(0, Math.min(8, configSha256.length())) + ")";
    }

    /** The day it ran, {@code 2026-12-04}. */
    public String day() {
        return date.length() >= 10 ? date.substring(0, 10) : date;
    }
}
