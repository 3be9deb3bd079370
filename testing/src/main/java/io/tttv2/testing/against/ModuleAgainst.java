package io.tttv2.testing.against;

import io.tttv2.api.candidate.ModuleKind;

/**
 * One module's calls beside its twin, summed up: its path, kind, the two candidates, calls, failed calls, the
 * worst PCC and max abs error over them, and the first failure.
 */
public record ModuleAgainst(String module, ModuleKind kind, String chosen, String other, long calls, long failedCalls,
                            double worstPcc, double maxAbsError, String firstFailure) {

    public boolean passed() {
        return failedCalls == 0;
    }
}
