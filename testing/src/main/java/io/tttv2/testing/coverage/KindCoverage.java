package io.tttv2.testing.coverage;

import io.tttv2.api.candidate.ModuleKind;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Coverage of one module kind.
 *
 * @param kind           the kind
 * @param exercised      configurations with validated calls
 * @param neverValidated configurations models use (modules were created) without a single validated call
 */
@ProviderType
public record KindCoverage(ModuleKind kind, List<ExercisedConfiguration> exercised,
                           List<ModuleConfiguration> neverValidated) {

    public KindCoverage {
        exercised = List.copyOf(exercised);
        neverValidated = List.copyOf(neverValidated);
    }
}
