package io.tttv2.testing.validation;

import io.tttv2.api.candidate.ModuleKind;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Every validated call of one module, aggregated.
 *
 * @param module              the module's name
 * @param kind                its kind
 * @param implementation      the implementing candidate
 * @param calls               validated calls
 * @param failedCalls         of which failed
 * @param worstPcc            the lowest PCC of a compared call (NaN if none was compared)
 * @param maxAbsError         the largest max abs error of a compared call
 * @param worstErrorRatio     the largest max abs error / allowed max abs error (> 1 is out of tolerance)
 * @param allowedMaxAbsError  the allowed max abs error at the call with the worst ratio
 * @param implementationNanos total time in the implementation
 * @param referenceNanos      total time in the reference
 * @param firstFailure        the first failing call's {@link ValidationRecord#describe()}, or null
 * @param failingParts        names of this module's parts ({@link ValidatedModule#parts()}) that failed too
 */
@ProviderType
public record ModuleSummary(String module, ModuleKind kind, String implementation, long calls, long failedCalls,
                            double worstPcc, double maxAbsError, double worstErrorRatio, double allowedMaxAbsError,
                            long implementationNanos, long referenceNanos, String firstFailure,
                            List<String> failingParts) {

    public ModuleSummary {
        failingParts = List.copyOf(failingParts);
    }

    public boolean passed() {
        return failedCalls == 0;
    }

    /** Reference time over implementation time. */
    public double speedup() {
        return referenceNanos / (double) Math.max(1, implementationNanos);
    }

    /** Failing, and none of its parts failed: where an error starts rather than where it is seen. */
    public boolean rootCause() {
        return !passed() && failingParts.isEmpty();
    }
}
