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

    /**
     * Governance problems of the installed candidates, one line each: a tier claimed without the
     * certifications it requires, a declaring bundle that does not resolve (naming the package and range
     * that failed), a service claiming a candidate no manifest declares or disagreeing with its
     * declaration. Rejected declarations are listed too.
     */
    List<String> violations();
}
