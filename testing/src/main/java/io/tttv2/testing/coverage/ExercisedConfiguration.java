package io.tttv2.testing.coverage;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A configuration with validated calls.
 *
 * @param configuration  the configuration
 * @param shapeBuckets   the buckets its validated calls fell in, sorted
 * @param calls          validated calls
 * @param missingEntries entry points ({@code prefill}, {@code decode}) never validated for it
 */
@ProviderType
public record ExercisedConfiguration(ModuleConfiguration configuration, List<String> shapeBuckets, long calls,
                                     List<String> missingEntries) {

    public ExercisedConfiguration {
        shapeBuckets = List.copyOf(shapeBuckets);
        missingEntries = List.copyOf(missingEntries);
    }
}
