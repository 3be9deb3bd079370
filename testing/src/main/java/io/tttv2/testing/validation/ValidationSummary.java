package io.tttv2.testing.validation;

import io.tttv2.api.candidate.ModuleKind;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The validation registry's results: one summary per module (in the order of their first validated call),
 * totals and the average speed-up.
 *
 * @param modules        per-module summaries
 * @param calls          validated calls
 * @param failedCalls    of which failed
 * @param averageSpeedup mean over modules of reference time / implementation time (NaN without calls)
 */
@ProviderType
public record ValidationSummary(List<ModuleSummary> modules, long calls, long failedCalls, double averageSpeedup) {

    public ValidationSummary {
        modules = List.copyOf(modules);
    }

    public boolean passed() {
        return failedCalls == 0;
    }

    /** The modules with a failing call. */
    public List<ModuleSummary> failingModules() {
        return modules.stream().filter(m -> !m.passed()).toList();
    }

    /** The failing modules none of whose parts failed: where errors start. */
    public List<ModuleSummary> rootCauses() {
        return modules.stream().filter(ModuleSummary::rootCause).toList();
    }

    /** Every module kind validated, by id, sorted. */
    public Set<String> kinds() {
        Set<String> kinds = new TreeSet<>();
        for (ModuleSummary m : modules) {
            kinds.add(m.kind().id());
        }
        return kinds;
    }

    /** The summary of the module named {@code name}, or null. */
    public ModuleSummary module(String name) {
        return modules.stream().filter(m -> m.module().equals(name)).findFirst().orElse(null);
    }

    /** Summaries of the modules of {@code kind}. */
    public List<ModuleSummary> ofKind(ModuleKind kind) {
        return modules.stream().filter(m -> m.kind() == kind).toList();
    }
}
