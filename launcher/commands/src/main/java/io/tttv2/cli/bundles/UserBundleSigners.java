package io.tttv2.cli.bundles;

import io.tttv2.cli.bundles.UserFolder.UserBundle;
import java.util.HashMap;
import java.util.Map;

/**
 * Who signed each user bundle, checked now against the trust store, for {@code modules}: the signer's subject
 * and the alias that trusts it, or that it is unsigned (or signed by a key not trusted) and was allowed with
 * {@code --allow-unsigned}, or why its signature no longer holds.
 */
public final class UserBundleSigners {

    private final UserFolder folder;
    private final Map<String, String> signers = new HashMap<>();
    private final int trustedKeys;

    public UserBundleSigners(UserFolder folder) throws BundleRefused {
        this.folder = folder;
        TrustStore trust = folder.trustStore();
        this.trustedKeys = trust.entries().size();
        for (UserBundle b : folder.bundles()) {
            String signer;
            try {
                JarSignature signature = JarSignature.read(b.file());
                String alias = trust.trusting(signature.chain());
                signer = alias != null ? signature.describe() + " (trusted as '" + alias + "')"
                        : signature.signed() ? signature.describe() + ", a key not trusted (allowed with --allow-unsigned)"
                        : "unsigned (allowed with --allow-unsigned)";
            } catch (BundleRefused e) {
                signer = "signature broken: " + e.getMessage();
            }
            signers.put(b.id(), signer);
        }
    }

    /** The signer of the user bundle {@code bundleId} ({@code bsn/version}); null for a bundle of the distribution. */
    public String signer(String bundleId) {
        return signers.get(bundleId);
    }

    /** The rule user bundles are held to, in one line. */
    public String policy() {
        return "user bundles (" + signers.size() + " in " + folder.bundlesFolder() + ") must be signed by a key of "
                + folder.trustStore().file() + " (" + trustedKeys + (trustedKeys == 1 ? " key" : " keys")
                + "), or installed with --allow-unsigned and then offer experimental candidates only;"
                + " the distribution's bundles are trusted as shipped";
    }
}
