package io.tttv2.api.candidate;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The candidates declared by every installed bundle, kept current as bundles come and go. */
@ProviderType
public interface CandidateRegistry {

    /** Every accepted candidate, ordered by kind, then name, then version (newest first). */
    List<CandidateDescriptor> candidates();

    /**
     * Declarations that were refused (malformed, or claiming a name and version already taken), one
     * human-readable line each, naming the bundle and the reason.
     */
    List<String> rejections();
}
