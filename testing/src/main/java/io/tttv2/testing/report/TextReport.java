package io.tttv2.testing.report;

import io.tttv2.testing.coverage.CoverageReport;
import io.tttv2.testing.coverage.ExercisedConfiguration;
import io.tttv2.testing.coverage.KindCoverage;
import io.tttv2.testing.coverage.ModuleConfiguration;
import io.tttv2.testing.validation.ExpertRouting;
import io.tttv2.testing.validation.ModuleSummary;
import io.tttv2.testing.validation.ValidationSummary;
import java.util.List;
import java.util.Locale;

/**
 * The report as the seed prints it: a ✓/✗ line per module with its worst PCC, max abs error (and what was
 * allowed), implementation and reference time and speed-up; the first failing call under each failing
 * module; the average speed-up; the tokens each mixture-of-experts layer routed to each expert; then the
 * coverage per module kind.
 */
public final class TextReport {

    private TextReport() {
    }

    public static String render(ValidationSummary summary, CoverageReport coverage) {
        return render(summary, coverage, List.of());
    }

    /** The report with the tokens each mixture-of-experts layer sent to each expert, before the coverage. */
    public static String render(ValidationSummary summary, CoverageReport coverage, List<ExpertRouting> routing) {
        StringBuilder s = new StringBuilder();
        s.append(headline(summary)).append('\n');
        if (summary.modules().isEmpty()) {
            s.append("no module call was validated (was validation enabled before the model was built?)\n");
        } else {
            int width = Math.max(6, summary.modules().stream().mapToInt(m -> m.module().length()).max().orElse(6));
            int implWidth = Math.max(14, summary.modules().stream().mapToInt(m -> m.implementation().length()).max().orElse(14));
            String columns = "%-" + width + "s  %-14s %-" + implWidth + "s %6s %10s %11s %11s %10s %10s %9s%n";
            s.append(String.format(Locale.ROOT, "  " + columns,
                    "module", "kind", "implementation", "calls", "worst PCC", "max abs err", "allowed", "impl ms",
                    "ref ms", "speed-up"));
            for (ModuleSummary m : summary.modules()) {
                s.append(String.format(Locale.ROOT, "%s " + columns, m.passed() ? "✓" : "✗", m.module(), m.kind().id(),
                        m.implementation(), Long.toString(m.calls()),
                        Numbers.pcc(m.worstPcc()), Numbers.error(m.maxAbsError()), Numbers.error(m.allowedMaxAbsError()),
                        Numbers.millis(m.implementationNanos()), Numbers.millis(m.referenceNanos()),
                        Numbers.speedup(m.speedup())));
                if (!m.passed()) {
                    s.append("    ").append(m.failedCalls()).append(" of ").append(m.calls()).append(" calls failed; first: ")
                            .append(m.firstFailure()).append('\n');
                    if (!m.failingParts().isEmpty()) {
                        s.append("    its parts fail too: ").append(String.join(", ", m.failingParts())).append('\n');
                    }
                }
            }
            s.append("Average speed-up (reference time / implementation time): ")
                    .append(Numbers.speedup(summary.averageSpeedup())).append('\n');
            s.append("Module kinds validated: ").append(String.join(", ", summary.kinds())).append('\n');
            if (!summary.passed()) {
                s.append("Errors start in: ").append(String.join(", ",
                        summary.rootCauses().stream().map(ModuleSummary::module).toList())).append('\n');
            }
        }
        s.append(routing(routing));
        s.append(coverage(coverage));
        return s.toString();
    }

    static String routing(List<ExpertRouting> routing) {
        if (routing.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("Expert routing (tokens per expert; a token counts once per expert it picked)\n");
        int width = routing.stream().mapToInt(r -> r.module().length()).max().orElse(6);
        for (ExpertRouting r : routing) {
            s.append(String.format(Locale.ROOT, "  %-" + width + "s  %d experts, %d routed, %d unused, busiest %s mean:",
                    r.module(), r.experts(), r.total(), r.unused(), imbalance(r)));
            for (long n : r.tokensPerExpert()) {
                s.append(' ').append(n);
            }
            s.append('\n');
        }
        return s.toString();
    }

    static String imbalance(ExpertRouting r) {
        return Double.isNaN(r.imbalance()) ? "n/a" : String.format(Locale.ROOT, "%.2fx", r.imbalance());
    }

    static String headline(ValidationSummary summary) {
        int modules = summary.modules().size();
        if (summary.passed()) {
            return "Module validation: " + modules + " modules, " + summary.calls() + " calls, all passed";
        }
        return "Module validation: " + summary.failingModules().size() + " of " + modules + " modules FAILED ("
                + summary.failedCalls() + " of " + summary.calls() + " calls)";
    }

    static String coverage(CoverageReport coverage) {
        StringBuilder s = new StringBuilder("Coverage (configurations per module kind)\n");
        if (coverage.kinds().isEmpty()) {
            s.append("  no module was created with validation on\n");
        }
        for (KindCoverage k : coverage.kinds()) {
            s.append("  ").append(k.kind().id()).append('\n');
            for (ExercisedConfiguration e : k.exercised()) {
                ModuleConfiguration c = e.configuration();
                s.append("    ✓ ").append(configuration(c)).append(": ").append(String.join(", ", e.shapeBuckets()))
                        .append(" (").append(e.calls()).append(" calls)");
                if (!e.missingEntries().isEmpty()) {
                    s.append("; never validated in ").append(String.join(", ", e.missingEntries()));
                }
                s.append("\n        ").append(c.description()).append('\n');
            }
            for (ModuleConfiguration c : k.neverValidated()) {
                s.append("    ✗ never validated: ").append(configuration(c)).append("\n        ").append(c.description())
                        .append('\n');
            }
        }
        return s.toString();
    }

    private static String configuration(ModuleConfiguration c) {
        return c.implementation() + " " + c.dtype() + " " + c.fingerprint();
    }
}
