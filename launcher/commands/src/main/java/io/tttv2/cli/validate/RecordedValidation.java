package io.tttv2.cli.validate;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.cli.evidence.CandidatesInUse;
import io.tttv2.cli.evidence.ValidationRecord;
import io.tttv2.cli.evidence.ValidationRecords;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.osgi.framework.BundleContext;

/** {@code validate --record}: the evidence of a passed validation, with the candidates the model ran. */
final class RecordedValidation {

    private RecordedValidation() {
    }

    static ValidationRecord of(BundleContext context, ModuleResolver resolver, CandidateRegistry registry, Path model,
                               Assembly override, String architecture, List<Check> checks) {
        List<ValidationRecord.Used> used = CandidatesInUse.of(context, resolver, registry, model, override).stream()
                .map(c -> new ValidationRecord.Used(c.kind().id(), c.name(), c.version())).toList();
        List<ValidationRecord.Measured> measured = checks.stream().map(c -> new ValidationRecord.Measured(c.metric(), c.passed(),
                c.comparison() == null ? null : c.comparison().pcc(),
                c.comparison() == null ? null : c.comparison().maxAbsError(),
                c.detail().isEmpty() ? null : c.detail())).toList();
        return new ValidationRecord(model.toAbsolutePath().normalize().toString(), architecture, ValidationRecords.configSha256(model),
                used, measured, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "tttv2 " + context.getBundle().getVersion());
    }
}
