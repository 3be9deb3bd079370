package io.tttv2.testing.coverage;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.tensor.DType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What one validated call exercised.
 *
 * @param kind           the module kind
 * @param implementation the implementing candidate
 * @param fingerprint    the configuration's fingerprint ({@link Fingerprints#of})
 * @param shapeBucket    the entry point and its rows, bucketed ({@link ShapeBuckets#of})
 * @param dtype          the dtype of the module's weights
 */
@ProviderType
public record CoveragePoint(ModuleKind kind, String implementation, String fingerprint, String shapeBucket,
                            DType dtype) {

    /** True if this call exercised {@code configuration}. */
    public boolean exercises(ModuleConfiguration configuration) {
        return kind == configuration.kind() && implementation.equals(configuration.implementation())
                && fingerprint.equals(configuration.fingerprint()) && dtype == configuration.dtype();
    }
}
