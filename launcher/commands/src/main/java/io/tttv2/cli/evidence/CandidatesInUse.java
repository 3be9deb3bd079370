package io.tttv2.cli.evidence;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.osgi.framework.BundleContext;

/**
 * The candidates a model runs with: its model candidate, then the one chosen for each kind of its resolved
 * assembly — resolved as a load resolves it (the model folder, {@code --assembly}, the installed bundles), the
 * way {@code modules --explain} shows it.
 */
public final class CandidatesInUse {

    private CandidatesInUse() {
    }

    public static List<CandidateDescriptor> of(BundleContext context, ModuleResolver resolver, CandidateRegistry registry,
                                               Path model, Assembly override) {
        Assembly effective;
        try {
            effective = new ModelCatalog(context).factoryFor(model).assembly(model, new RunnerOptions(1, 0, override));
        } catch (ModelLoadException | UnresolvedException e) {
            throw new UserError(e.getMessage(), 1, e);
        }
        EnumSet<ModuleKind> kinds = effective.requirements().isEmpty()
                ? EnumSet.noneOf(ModuleKind.class) : EnumSet.copyOf(effective.requirements().keySet());
        Resolution resolution = resolver.resolve(effective, kinds);
        List<CandidateDescriptor> used = new ArrayList<>();
        for (CandidateDescriptor c : registry.candidates()) {
            if (c.kind() == ModuleKind.MODEL && c.name().equals(effective.model())) {
                used.add(c);
            }
        }
        for (ModuleKind kind : kinds) {
            CandidateDescriptor chosen = resolution.chosen(kind);
            if (chosen != null && !used.contains(chosen)) {
                used.add(chosen);
            }
        }
        return used;
    }
}
