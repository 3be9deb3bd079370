package io.tttv2.testing.validation;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.testing.coverage.CoveragePoint;
import io.tttv2.testing.metrics.AllClose;
import io.tttv2.testing.metrics.Comparison;
import java.util.List;
import java.util.Locale;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One validated call: the implementation's output against the reference's on the same inputs.
 *
 * @param module              the module's name ({@link ValidatedModule#validationName()})
 * @param kind                its kind
 * @param implementation      the implementing candidate, e.g. {@code tttv2/norm/rms}
 * @param entry               {@code prefill} or {@code decode}
 * @param shape               the shape of the call's main input
 * @param coverage            what the call exercised
 * @param comparison          the metrics, or null if the reference failed
 * @param allClose            allclose with rtol 0 and atol the allowed max abs error, or null if the reference failed
 * @param metrics             the custom metrics' results
 * @param tolerance           the tolerance applied
 * @param passed              the verdict: tolerance met, every custom metric passed, the reference ran
 * @param failure             why the reference could not be compared (it threw, or gave another shape), else null
 * @param implementationNanos time in the implementation (excluding validation of modules it called)
 * @param referenceNanos      time in the reference
 */
@ProviderType
public record ValidationRecord(String module, ModuleKind kind, String implementation, String entry,
                               List<Integer> shape, CoveragePoint coverage, Comparison comparison, AllClose allClose,
                               List<MetricResult> metrics, Tolerance tolerance, boolean passed, String failure,
                               long implementationNanos, long referenceNanos) {

    public ValidationRecord {
        shape = List.copyOf(shape);
        metrics = List.copyOf(metrics);
    }

    /** Reference time over implementation time (how much faster the implementation is). */
    public double speedup() {
        return referenceNanos / (double) Math.max(1, implementationNanos);
    }

    /** The max abs error the tolerance allowed for this output, or NaN if the reference failed. */
    public double allowedMaxAbsError() {
        return comparison == null ? Double.NaN : tolerance.allowedMaxAbsError(comparison);
    }

    /** One line: the module, the call and, for a failure, what was out of tolerance and where. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(module).append(" (").append(kind.id()).append(", ").append(implementation).append(") ")
                .append(entry).append(' ').append(shape).append(": ");
        if (failure != null) {
            return s.append(failure).toString();
        }
        boolean pccOk = comparison.pcc() >= tolerance.minPcc();
        boolean errorOk = comparison.maxAbsError() <= allowedMaxAbsError();
        s.append(String.format(Locale.ROOT, "PCC %.7f %s %s, max abs error %.3e %s %.3e", comparison.pcc(),
                pccOk ? ">=" : "<", tolerance.minPcc(), comparison.maxAbsError(), errorOk ? "<=" : ">",
                allowedMaxAbsError()));
        if (!passed && comparison.worstIndex() >= 0) {
            s.append(String.format(Locale.ROOT, " at index %d (implementation %.8g, reference %.8g)",
                    comparison.worstIndex(), comparison.worstActual(), comparison.worstExpected()));
        }
        for (MetricResult m : metrics) {
            s.append(String.format(Locale.ROOT, ", %s %.3e%s", m.name(), m.value(), m.passed() ? "" : " FAILED"));
        }
        return s.toString();
    }
}
