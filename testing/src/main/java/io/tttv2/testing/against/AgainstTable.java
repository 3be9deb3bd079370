package io.tttv2.testing.against;

import java.util.List;
import java.util.Locale;

/** The comparison as text: a headline, then a ✓/✗ line per module with both candidates and the metrics. */
public final class AgainstTable {

    private AgainstTable() {
    }

    public static String render(String chosenKind, String other, List<ModuleAgainst> modules) {
        long failed = modules.stream().filter(m -> !m.passed()).count();
        long calls = modules.stream().mapToLong(ModuleAgainst::calls).sum();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Against %s: %d %s modules, %d calls, %s%n", other, modules.size(), chosenKind,
                calls, modules.isEmpty() ? "NOTHING COMPARED (no module of that kind ran)"
                        : failed == 0 ? "all within tolerance" : failed + " modules OUT OF TOLERANCE"));
        for (ModuleAgainst m : modules) {
            s.append(String.format(Locale.ROOT, "%s %-40s %-34s vs %-34s %6d calls  PCC %.7f  max abs %.3e%n",
                    m.passed() ? "✓" : "✗", m.module(), m.chosen(), m.other(), m.calls(), m.worstPcc(), m.maxAbsError()));
            if (!m.passed()) {
                s.append("    ").append(m.firstFailure()).append('\n');
            }
        }
        return s.toString();
    }
}
