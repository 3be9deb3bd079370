package io.tttv2.testing.coverage;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ConfigFingerprint;

/**
 * Fingerprints of module configurations: {@link ConfigFingerprint#of}, the same that configuration dumps and the
 * specialization table key on, so coverage, dumps and tables name a configuration alike.
 */
public final class Fingerprints {

    private Fingerprints() {
    }

    public static String of(ModuleKind kind, String implementation, Record spec, Record config) {
        return ConfigFingerprint.of(kind, implementation, spec, config);
    }
}
