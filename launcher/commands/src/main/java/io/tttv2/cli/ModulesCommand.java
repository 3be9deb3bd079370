package io.tttv2.cli;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunnerFactory;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.Certification;
import io.tttv2.cli.bundles.BundleRefused;
import io.tttv2.cli.bundles.UserBundleSigners;
import io.tttv2.cli.bundles.UserFolder;
import io.tttv2.cli.evidence.CandidatesInUse;
import io.tttv2.cli.evidence.Evidence;
import io.tttv2.cli.evidence.ShippedReports;
import io.tttv2.cli.evidence.ValidationRecords;
import io.tttv2.cli.modules.CandidateListing;
import io.tttv2.cli.modules.Explanation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tttv2 modules}: the module candidates the installed bundles declare, how a model resolves them, governance. */
@Command(name = "modules",
        description = {
        "List the installed module candidates (read from bundle manifests) with their tiers and versions.",
        "--explain --model DIR: per module kind, the candidates considered for that model and why each was chosen or rejected.",
        "--check: governance violations (a tier without its certifications, duplicate claims, bundles that do not resolve);",
        "with --model DIR also every candidate the model uses that claims functionally-tested without a recorded validation",
        "of that model backing it (tttv2 validate --record).",
        "Each certification is listed as claimed, or backed (model, date) by a validation recorded with validate --record."})
final class ModulesCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--explain", description = "Explain how the model in --model resolves its module kinds.")
    boolean explain;

    @Option(names = "--model", paramLabel = "DIR", description = "HF model folder or GGUF model file, for --explain or --check.")
    Path model;

    @Option(names = "--assembly", paramLabel = "FILE", description = "Assembly descriptor (JSON) laid over the model's own, with --model.")
    Path assembly;

    @Option(names = "--check", description = "Report governance violations; exit 1 if there is any.")
    boolean check;

    private final CommandContext context;

    ModulesCommand(CommandContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (explain && check) {
            throw new UserError("--explain and --check are separate questions: give one", 2, null);
        }
        if (!explain && !check && (model != null || assembly != null)) {
            throw new UserError("--model and --assembly go with --explain or --check", 2, null);
        }
        if (assembly != null && model == null) {
            throw new UserError("--assembly goes with --model DIR (the model whose assembly it changes)", 2, null);
        }
        if (explain) {
            return explain(out);
        }
        if (check) {
            return check(out);
        }
        UserFolder folder = UserFolder.of(context.bundleContext());
        UserBundleSigners signers;
        try {
            signers = new UserBundleSigners(folder);
        } catch (BundleRefused e) {
            throw new UserError(e.getMessage(), 1, e);
        }
        CandidateListing listing = new CandidateListing(context.registry(), context.resolver(), evidence(), signers);
        if (json) {
            listing.printJson(out);
        } else {
            listing.printTable(out);
        }
        return 0;
    }

    private int explain(PrintWriter out) {
        if (model == null) {
            throw new UserError("--explain needs --model DIR (the HF model folder to explain)", 2, null);
        }
        ModelCatalog catalog = new ModelCatalog(context.bundleContext());
        Assembly override = catalog.assembly(assembly);
        ModelRunnerFactory factory = catalog.factoryFor(model);
        Assembly effective;
        try {
            effective = factory.assembly(model, new RunnerOptions(1, 0, override));
        } catch (ModelLoadException | UnresolvedException e) {
            throw new UserError(e.getMessage(), 1, e);
        }
        EnumSet<ModuleKind> kinds = effective.requirements().isEmpty()
                ? EnumSet.noneOf(ModuleKind.class) : EnumSet.copyOf(effective.requirements().keySet());
        Explanation explanation = new Explanation(model, effective, context.resolver().resolve(effective, kinds));
        if (json) {
            explanation.printJson(out);
        } else {
            explanation.printTable(out);
        }
        return explanation.resolution().complete() ? 0 : 1;
    }

    private int check(PrintWriter out) {
        List<String> violations = context.registry().violations();
        List<String> unbacked = model == null ? List.of() : unbacked();
        if (json) {
            out.println(CandidateListing.violationsJson(violations, context.registry().candidates().size(), unbacked));
        } else {
            if (violations.isEmpty()) {
                out.println("No violations: " + context.registry().candidates().size()
                        + " candidates, every tier backed by its certifications, every claim unique, every declaring bundle resolved.");
            } else {
                violations.forEach(v -> out.println("violation: " + v));
            }
            if (model != null && unbacked.isEmpty()) {
                out.println("Every candidate " + model + " uses that claims functionally-tested is backed by a validation recorded for it.");
            }
            unbacked.forEach(u -> out.println("unbacked: " + u));
        }
        return violations.isEmpty() && unbacked.isEmpty() ? 0 : 1;
    }

    /** One line per candidate the model uses that claims functionally-tested with no recorded validation of this model backing it. */
    private List<String> unbacked() {
        ModelCatalog catalog = new ModelCatalog(context.bundleContext());
        Assembly override = catalog.assembly(assembly);
        List<CandidateDescriptor> used = CandidatesInUse.of(context.bundleContext(), context.resolver(), context.registry(), model, override);
        String identity = ValidationRecords.configSha256(model);
        Evidence evidence = evidence();
        List<String> out = new ArrayList<>();
        for (CandidateDescriptor c : used) {
            if (c.certifications().contains(Certification.FUNCTIONALLY_TESTED)
                    && evidence.backing(c, Certification.FUNCTIONALLY_TESTED, identity).isEmpty()) {
                out.add(c.name() + " " + c.version() + " (" + c.kind().id() + ") claims functionally-tested, but no validation of "
                        + model + " (config " + identity.substring(0, 8) + ") that ran this version is recorded; "
                        + "tttv2 validate --record --model " + model + " --reference FILE" + (assembly != null ? " --assembly " + assembly : "")
                        + " backs it");
            }
        }
        return out;
    }

    /**
     * The validations recorded in the user folder and shipped in bundles; a file that is not one, or a shipped
     * report that does not match its bundle's classes, is a warning line on stderr.
     */
    private Evidence evidence() {
        ValidationRecords records = new ValidationRecords(UserFolder.of(context.bundleContext()).root());
        List<String> warnings = new ArrayList<>();
        Evidence evidence = new Evidence(records.all(), ShippedReports.read(context.bundleContext(), warnings));
        warnings.addAll(0, records.unreadable());
        PrintWriter err = spec.commandLine().getErr();
        warnings.forEach(line -> err.println("tttv2: warning: " + line));
        err.flush();
        return evidence;
    }
}
