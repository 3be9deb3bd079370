package io.tttv2.api.assembly;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The specialization registry: tables of tuned module configurations, shipped in the bundles that own the
 * modules (and one the user may add), keyed by {@link SpecializationKey}. A model consults it once per module
 * when it builds the module. Offered by the registry bundle.
 */
@ProviderType
public interface Specializations {

    /** The entry for {@code key}, or a miss naming the key (and a stale entry's version, if one was found). */
    Specialization lookup(SpecializationKey key);

    /** One line per malformed table or entry that was skipped (naming the file and the entry). */
    List<String> problems();
}
