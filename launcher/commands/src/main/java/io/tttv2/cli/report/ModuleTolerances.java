package io.tttv2.cli.report;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.cli.UserError;
import io.tttv2.testing.validation.Tolerance;
import io.tttv2.testing.validation.ValidationOptions;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code --module-tolerance KIND=MIN_PCC:ATOL} (repeatable) onto the registry's options. */
final class ModuleTolerances {

    /** The kinds a tolerance can be given for, from the kind table. */
    private static final String MODULE_KINDS = Arrays.stream(ModuleKind.values()).filter(ModuleKind::createsModules)
            .map(ModuleKind::id).collect(Collectors.joining(", "));

    private ModuleTolerances() {
    }

    static ValidationOptions apply(ValidationOptions options, Map<String, String> overrides) {
        ValidationOptions result = options;
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String given = e.getKey() + "=" + e.getValue();
            String[] parts = e.getValue().split(":");
            try {
                if (parts.length != 2) {
                    throw new IllegalArgumentException("two numbers");
                }
                ModuleKind kind = ModuleKind.of(e.getKey());
                if (!kind.createsModules()) {
                    throw new IllegalArgumentException("not a module kind");
                }
                result = result.withTolerance(kind,
                        new Tolerance(Double.parseDouble(parts[0]), Double.parseDouble(parts[1])));
            } catch (IllegalArgumentException bad) {
                throw new UserError("--module-tolerance " + given + ": expected KIND=MIN_PCC:ATOL with KIND one of "
                        + MODULE_KINDS + " (e.g. norm=0.9999:1e-3)", 2, bad);
            }
        }
        return result;
    }
}
