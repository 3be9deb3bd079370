package io.tttv2.testing.against;

import io.tttv2.testing.metrics.Comparison;

/**
 * One call of a module beside its twin: the chosen candidate's output compared with the other's (the other is
 * the expected side). {@code comparison} is null when the twin failed ({@code failure} says how).
 */
public record TwinComparison(String module, String entry, Comparison comparison, boolean passed, double allowedMaxAbsError,
                             String failure) {
}
