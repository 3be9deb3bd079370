package io.tttv2.testing.coverage;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.tensor.DType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One configuration of a module kind a model uses: recorded when a module is created with validation on.
 *
 * @param kind           the module kind
 * @param implementation the implementing candidate, e.g. {@code tttv2/norm/rms}
 * @param fingerprint    {@link Fingerprints#of} of the kind, implementation, spec and config
 * @param dtype          the dtype of the module's weights (of its frequencies for a rotary)
 * @param description    the spec and config, for people
 */
@ProviderType
public record ModuleConfiguration(ModuleKind kind, String implementation, String fingerprint, DType dtype,
                                  String description) {
}
