package io.tttv2.cli.evidence;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.Certification;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a candidate's certifications are backed. {@code functionally-tested} is backed by a recorded
 * validation ({@link ValidationRecords}) that ran this candidate at exactly its version — for a given model,
 * a record of that model (same {@code config.json} hash); every other certification, and one without such a
 * record, is only claimed: the manifest says so, nothing here shows it.
 */
public final class Evidence {

    private final List<ValidationRecord> records;

    public Evidence(List<ValidationRecord> records) {
        this.records = List.copyOf(records);
    }

    /**
     * The latest record backing {@code certification} of {@code candidate}; for {@code configSha256} (a model's
     * identity) only that model's records count, for null any model's.
     */
    public Optional<ValidationRecord> backing(CandidateDescriptor candidate, Certification certification, String configSha256) {
        if (certification != Certification.FUNCTIONALLY_TESTED || !candidate.certifications().contains(certification)) {
            return Optional.empty();
        }
        ValidationRecord latest = null;
        for (ValidationRecord r : records) {      // oldest first
            if (r.ran(candidate.name(), candidate.version()) && (configSha256 == null || configSha256.equals(r.configSha256()))) {
                latest = r;
            }
        }
        return Optional.ofNullable(latest);
    }

    /** "functionally-tested backed (model llama (LlamaForCausalLM, config 3f2a9c1e), 2026-12-04)" or "… claimed", in id order. */
    public List<String> describe(CandidateDescriptor candidate) {
        List<String> out = new ArrayList<>();
        candidate.certifications().stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(c -> out.add(c.id() + " "
                + backing(candidate, c, null).map(r -> "backed (model " + r.describeModel() + ", " + r.day() + ")").orElse("claimed")));
        return out;
    }
}
