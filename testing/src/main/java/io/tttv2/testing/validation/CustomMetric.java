package io.tttv2.testing.validation;

import io.tttv2.api.candidate.ModuleKind;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A check added to every validated call besides PCC and max abs error (see
 * {@link ValidationOptions#withMetric}); a record passes only if every metric passes.
 */
@ConsumerType
public interface CustomMetric {

    /** Short, for reports: {@code max-relative-error}. */
    String name();

    /**
     * @param kind     the module kind of the call
     * @param actual   the implementation's output, flattened
     * @param expected the reference's output, flattened (rounded to float)
     */
    MetricResult evaluate(ModuleKind kind, float[] actual, float[] expected);
}
