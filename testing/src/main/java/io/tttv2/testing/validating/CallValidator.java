package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.testing.coverage.CoveragePoint;
import io.tttv2.testing.coverage.ModuleConfiguration;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.metrics.AllClose;
import io.tttv2.testing.metrics.Comparison;
import io.tttv2.testing.metrics.Metrics;
import io.tttv2.testing.validation.CustomMetric;
import io.tttv2.testing.validation.MetricResult;
import io.tttv2.testing.validation.Tolerance;
import io.tttv2.testing.validation.ValidatedModule;
import io.tttv2.testing.validation.ValidationOptions;
import io.tttv2.testing.validation.ValidationRecord;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs one call of a wrapped module: the implementation, then the reference on the inputs captured before
 * it, then the comparison, recorded in the registry. What a call of every module kind has in common.
 */
final class CallValidator {

    private final ValidationRegistry registry;
    private final ValidatedModule module;
    private final ModuleConfiguration configuration;

    CallValidator(ValidationRegistry registry, ValidatedModule module, ModuleConfiguration configuration) {
        this.registry = registry;
        this.module = module;
        this.configuration = configuration;
    }

    /** True while the registry validates; otherwise a wrapper just calls its implementation. */
    boolean active() {
        return registry.isEnabled();
    }

    /**
     * @param capturedAt     {@link System#nanoTime()} before the wrapper copied the inputs (validation time)
     * @param entry          {@link ShapeBuckets#PREFILL} or {@link ShapeBuckets#DECODE}
     * @param rows           tokens of a prefill, sequences of a decode (for the shape bucket)
     * @param shape          the main input's shape
     * @param implementation the real call
     * @param actual         reads the implementation's output after the call
     * @param reference      computes the reference's output from the captured inputs
     */
    void validate(long capturedAt, String entry, int rows, int[] shape, Runnable implementation,
                  Supplier<float[]> actual, Supplier<double[]> reference) {
        long nestedBefore = NestedTime.spent();
        long start = System.nanoTime();
        implementation.run();
        long end = System.nanoTime();
        long implementationNanos = Math.max(0, end - start - (NestedTime.spent() - nestedBefore));
        try {
            registry.record(compare(entry, rows, shape, actual.get(), reference, implementationNanos));
        } finally {
            NestedTime.add((start - capturedAt) + (System.nanoTime() - end));
        }
    }

    private ValidationRecord compare(String entry, int rows, int[] shape, float[] actual, Supplier<double[]> reference,
                                     long implementationNanos) {
        ValidationOptions options = registry.options();
        ModuleKind kind = configuration.kind();
        Tolerance tolerance = options.tolerance(kind);
        CoveragePoint coverage = new CoveragePoint(kind, configuration.implementation(), configuration.fingerprint(),
                ShapeBuckets.of(entry, rows), configuration.dtype());
        List<Integer> shapeList = Arrays.stream(shape).boxed().toList();

        double[] expected = null;
        String failure = null;
        long referenceStart = System.nanoTime();
        try {
            expected = reference.get();
        } catch (RuntimeException e) {
            failure = "reference failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
        }
        long referenceNanos = System.nanoTime() - referenceStart;
        if (expected != null && expected.length != actual.length) {
            failure = "reference gave " + expected.length + " values, the implementation " + actual.length;
        }
        if (failure != null) {
            return new ValidationRecord(module.validationName(), kind, configuration.implementation(), entry, shapeList,
                    coverage, null, null, List.of(), tolerance, false, failure, implementationNanos, referenceNanos);
        }
        float[] narrowed = Values.narrow(expected);
        Comparison comparison = Metrics.compare(actual, narrowed);
        AllClose allClose = Metrics.allClose(actual, narrowed, 0, tolerance.allowedMaxAbsError(comparison));
        List<MetricResult> metrics = new ArrayList<>();
        boolean passed = tolerance.passes(comparison);
        for (CustomMetric metric : options.metrics()) {
            MetricResult result;
            try {
                result = metric.evaluate(kind, actual, narrowed);
            } catch (RuntimeException e) {
                result = new MetricResult(metric.name(), Double.NaN, false);
            }
            metrics.add(result);
            passed &= result.passed();
        }
        return new ValidationRecord(module.validationName(), kind, configuration.implementation(), entry, shapeList,
                coverage, comparison, allClose, metrics, tolerance, passed, null, implementationNanos, referenceNanos);
    }
}
