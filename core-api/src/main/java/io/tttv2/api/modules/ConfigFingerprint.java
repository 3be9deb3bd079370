package io.tttv2.api.modules;

import io.tttv2.api.candidate.ModuleKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Fingerprints of module configurations: the first 16 hex digits of the SHA-256 of
 * {@code kind|implementation|spec|config}, where spec and config are the module's records (whose text form
 * names every field and value, so equal records give equal fingerprints across runs). Coverage, dumps and the
 * specialization table all key on it.
 */
public final class ConfigFingerprint {

    private ConfigFingerprint() {
    }

    public static String of(ModuleKind kind, String implementation, Record spec, Record config) {
        String text = kind.id() + "|" + implementation + "|" + spec + "|" + config;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
