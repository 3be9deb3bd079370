package io.tttv2.cli.evidence;

import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.Certification;
import io.tttv2.cli.evidence.ShippedReports.Shipped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a candidate's certifications are backed. {@code functionally-tested} is backed by a validation that
 * ran this candidate at exactly its version — recorded in the user folder ({@link ValidationRecords}), or
 * shipped inside the candidate's own bundle and matching its classes ({@link ShippedReports}); for a given
 * model, only a validation of that model (same {@code config.json} hash) counts. Every other certification,
 * and one without such a validation, is only claimed: the manifest says so, nothing here shows it.
 */
public final class Evidence {

    /** What backs a claim: the validation, and where it comes from ("recorded" or "shipped in bundle B/V"). */
    public record Backing(ValidationRecord record, String source) {
    }

    private final List<ValidationRecord> recorded;
    private final List<Shipped> shipped;

    public Evidence(List<ValidationRecord> recorded, List<Shipped> shipped) {
        this.recorded = List.copyOf(recorded);
        this.shipped = List.copyOf(shipped);
    }

    /**
     * The latest validation backing {@code certification} of {@code candidate}; for {@code configSha256} (a
     * model's identity) only that model's validations count, for null any model's.
     */
    public Optional<Backing> backing(CandidateDescriptor candidate, Certification certification, String configSha256) {
        if (certification != Certification.FUNCTIONALLY_TESTED || !candidate.certifications().contains(certification)) {
            return Optional.empty();
        }
        Backing latest = null;
        for (ValidationRecord r : recorded) {
            if (backs(r, candidate, configSha256) && (latest == null || r.date().compareTo(latest.record().date()) >= 0)) {
                latest = new Backing(r, "recorded");
            }
        }
        for (Shipped s : shipped) {
            // a bundle's report vouches for that bundle's own candidates only
            if (s.bundle().equals(candidate.bundle()) && backs(s.record(), candidate, configSha256)
                    && (latest == null || s.record().date().compareTo(latest.record().date()) > 0)) {
                latest = new Backing(s.record(), "shipped in bundle " + s.bundle());
            }
        }
        return Optional.ofNullable(latest);
    }

    private static boolean backs(ValidationRecord r, CandidateDescriptor c, String configSha256) {
        return r.ran(c.name(), c.version()) && (configSha256 == null || configSha256.equals(r.configSha256()));
    }

    /** "functionally-tested backed (model llama (LlamaForCausalLM, config 3f2a9c1e), 2026-12-04)" or "… claimed", in id order. */
    public List<String> describe(CandidateDescriptor candidate) {
        List<String> out = new ArrayList<>();
        candidate.certifications().stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(c -> out.add(c.id() + " "
                + backing(candidate, c, null).map(b -> "backed (model " + b.record().describeModel() + ", " + b.record().day()
                + (b.source().equals("recorded") ? "" : ", " + b.source()) + ")").orElse("claimed")));
        return out;
    }
}
