package io.tttv2.testing.validation;

import io.tttv2.api.candidate.ModuleKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * How calls are judged: a tolerance per module kind (else the default), custom metrics, and whether the
 * first failure throws.
 *
 * @param defaultTolerance for kinds without their own
 * @param tolerances       per-kind overrides
 * @param metrics          custom metrics evaluated on every call
 * @param raiseOnFailure   a failing call throws {@link ValidationFailedException} (after it is recorded)
 */
@ProviderType
public record ValidationOptions(Tolerance defaultTolerance, Map<ModuleKind, Tolerance> tolerances,
                                List<CustomMetric> metrics, boolean raiseOnFailure) {

    public ValidationOptions {
        tolerances = Map.copyOf(tolerances);
        metrics = List.copyOf(metrics);
    }

    /** {@link Tolerance#DEFAULT} for every kind, no custom metric, failures recorded without throwing. */
    public static ValidationOptions defaults() {
        return new ValidationOptions(Tolerance.DEFAULT, Map.of(), List.of(), false);
    }

    public Tolerance tolerance(ModuleKind kind) {
        return tolerances.getOrDefault(kind, defaultTolerance);
    }

    public ValidationOptions withTolerance(ModuleKind kind, Tolerance tolerance) {
        Map<ModuleKind, Tolerance> t = new EnumMap<>(ModuleKind.class);
        t.putAll(tolerances);
        t.put(kind, tolerance);
        return new ValidationOptions(defaultTolerance, t, metrics, raiseOnFailure);
    }

    public ValidationOptions withDefaultTolerance(Tolerance tolerance) {
        return new ValidationOptions(tolerance, tolerances, metrics, raiseOnFailure);
    }

    public ValidationOptions withMetric(CustomMetric metric) {
        List<CustomMetric> m = new ArrayList<>(metrics);
        m.add(metric);
        return new ValidationOptions(defaultTolerance, tolerances, m, raiseOnFailure);
    }

    public ValidationOptions raisingOnFailure(boolean raise) {
        return new ValidationOptions(defaultTolerance, tolerances, metrics, raise);
    }
}
