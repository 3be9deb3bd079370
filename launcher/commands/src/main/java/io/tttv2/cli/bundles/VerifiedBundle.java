package io.tttv2.cli.bundles;

import io.tttv2.cli.bundles.CandidateDeclarations.Declared;
import java.util.List;
import org.osgi.framework.Version;

/**
 * A jar that passed every check of {@link BundleVerifier}.
 *
 * @param symbolicName its {@code Bundle-SymbolicName}
 * @param version      its {@code Bundle-Version}
 * @param candidates   the module candidates it declares
 * @param signature    its signature (maybe unsigned)
 * @param trustedAs    the trust store alias vouching for its signer; null when accepted by {@code --allow-unsigned}
 * @param classesSha256 the hash of its classes a shipped validation report must name (ShippedReports)
 */
public record VerifiedBundle(String symbolicName, Version version, List<Declared> candidates, JarSignature signature,
                             String trustedAs, String classesSha256) {

    public VerifiedBundle {
        candidates = List.copyOf(candidates);
    }

    /** The file name it gets in the user bundle folder. */
    public String fileName() {
        return symbolicName + "-" + version + ".jar";
    }

    /** The signer and the rule it was accepted under, for listings. */
    public String policy() {
        return policy(signature, trustedAs);
    }

    static String policy(JarSignature signature, String trustedAs) {
        if (trustedAs != null) {
            return "signed by " + signature.describe() + ", trusted as '" + trustedAs + "'";
        }
        return signature.signed() ? "signed by " + signature.describe() + ", not trusted: allowed by --allow-unsigned"
                : "unsigned: allowed by --allow-unsigned";
    }
}
