package io.tttv2.cli.validate;

import java.util.List;

/** The checks of one validation, and what the model computed for them. */
record ValidationResult(List<Check> checks, ComputedOutputs outputs) {

    ValidationResult {
        checks = List.copyOf(checks);
    }

    boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }
}
