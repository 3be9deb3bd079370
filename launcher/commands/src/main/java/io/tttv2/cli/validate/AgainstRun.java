package io.tttv2.cli.validate;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Decision;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Requirement;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.CandidateRegistry;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Module;
import io.tttv2.api.ops.Device;
import io.tttv2.cli.UserError;
import io.tttv2.testing.against.AgainstRegistry;
import io.tttv2.testing.against.AgainstTable;
import io.tttv2.testing.against.ModuleAgainst;
import io.tttv2.testing.validation.Tolerance;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * {@code validate --against KIND=CANDIDATE[@RANGE]}: resolves the other candidate (one line with the candidates
 * that would, if it is not installed or not eligible), starts the testing bundle's {@link AgainstRegistry} before
 * the model is built so that each module of the kind gets a twin from it, and after the run prints the
 * comparison per module path.
 */
final class AgainstRun implements AutoCloseable {

    private final AgainstRegistry registry;
    private final ModuleKind kind;
    private final String other;

    private AgainstRun(AgainstRegistry registry, ModuleKind kind, String other) {
        this.registry = registry;
        this.kind = kind;
        this.other = other;
    }

    static AgainstRun start(BundleContext context, ModuleResolver resolver, CandidateRegistry candidates, String spec,
                            Tolerance tolerance) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new UserError("--against expected KIND=CANDIDATE[@RANGE] (e.g. attention-backend="
                    + "tttv2/attention-backend/flash), found '" + spec + "'", 2, null);
        }
        ModuleKind kind;
        try {
            kind = ModuleKind.of(spec.substring(0, eq));
        } catch (IllegalArgumentException e) {
            throw new UserError("--against " + spec + ": " + e.getMessage(), 2, null);
        }
        if (kind == ModuleKind.MODEL || kind != ModuleKind.DEVICE
                && !AgainstRegistry.twinnable(kind)) {
            throw new UserError("--against " + spec + ": " + kind.id() + " modules cannot run twice on the same inputs"
                    + " (they update their input in place or answer in arrays); compare one of "
                    + String.join(", ", AgainstRegistry.twinnableKinds()) + ", or device", 2, null);
        }
        String rest = spec.substring(eq + 1);
        int at = rest.indexOf('@');
        String name = at < 0 ? rest : rest.substring(0, at);
        String range = at < 0 ? null : rest.substring(at + 1);
        Resolution resolution = resolver.resolve(new Assembly(null, Map.of(kind,
                new Requirement(name, range, null, List.of(), List.of()))), Set.of(kind));
        if (!resolution.complete()) {
            throw new UserError("--against " + spec + ": " + name + (range == null ? "" : " " + range)
                    + " is not an installed " + kind.id() + " candidate that can run; candidates that would: "
                    + String.join(", ", eligible(resolver, kind)), 2, null);
        }
        CandidateDescriptor chosen = resolution.chosen(kind);
        Object side = kind == ModuleKind.DEVICE ? resolution.factory(kind, Device.class)
                : resolution.factory(kind, kind.serviceType());
        AgainstRegistry registry = require(context);
        registry.start(kind, chosen.name(), side, tolerance);
        return new AgainstRun(registry, kind, chosen.name() + " " + chosen.version());
    }

    /** Names the twinned modules by their paths (call once the model is built). */
    void name(Map<String, Module> modules) {
        registry.nameModules(modules);
    }

    /** Prints the comparison; @return whether every compared call was within tolerance and something was compared */
    boolean finish(PrintWriter out, ModuleResolver resolver) {
        List<ModuleAgainst> modules = registry.summary();
        out.println();
        out.print(AgainstTable.render(kind.id(), other, modules));
        boolean built = modules.stream().anyMatch(m -> m.firstFailure() == null
                || !m.firstFailure().contains(" cannot build this "));
        if (!modules.isEmpty() && !built) {
            out.println(other + " does not fit this model; " + kind.id() + " candidates that would: "
                    + String.join(", ", eligible(resolver, kind)));
        }
        return !modules.isEmpty() && modules.stream().allMatch(ModuleAgainst::passed);
    }

    @Override
    public void close() {
        registry.stop();
    }

    /** The candidates of {@code kind} the resolver would accept with no requirement, by name and version. */
    private static List<String> eligible(ModuleResolver resolver, ModuleKind kind) {
        Resolution any = resolver.resolve(new Assembly(null, Map.of()), Set.of(kind));
        List<String> names = any.decisions().stream().filter(d -> d.kind() == kind && d.eligible())
                .map(Decision::candidate).map(c -> c.name() + " " + c.version()).distinct().toList();
        return names.isEmpty() ? List.of("(none installed)") : names;
    }

    private static AgainstRegistry require(BundleContext context) {
        ServiceReference<AgainstRegistry> ref = context.getServiceReference(AgainstRegistry.class);
        AgainstRegistry registry = ref == null ? null : context.getService(ref);
        if (registry == null) {
            throw new UserError("--against needs the io.tttv2.testing bundle, which offers no against registry here"
                    + " (is it installed and active?)");
        }
        return registry;
    }
}
