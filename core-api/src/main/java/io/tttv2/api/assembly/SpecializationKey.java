package io.tttv2.api.assembly;

import io.tttv2.api.candidate.ModuleKind;

/**
 * What a specialization table is keyed by: one module's configuration on one machine.
 *
 * @param kind             the module kind
 * @param candidate        the implementing candidate's name, e.g. {@code tttv2/mlp/gated}
 * @param candidateVersion its version, e.g. {@code 1.0.0}: an entry for another version is stale
 * @param fingerprint      {@code io.tttv2.api.modules.ConfigFingerprint} of the module's spec and the config it
 *                         would run with untuned (defaults with the assembly's overrides)
 * @param shapeBucket      the run's shape bucket, e.g. {@code ctx<=256} (the context rounded up to a power of two)
 * @param device           the device and its workers, e.g. {@code cpu/2}
 */
public record SpecializationKey(ModuleKind kind, String candidate, String candidateVersion, String fingerprint,
                                String shapeBucket, String device) {

    /** For messages: {@code mlp tttv2/mlp/gated 1.0.0 4f1c… ctx<=256 cpu/2}. */
    public String describe() {
        return kind.id() + " " + candidate + " " + candidateVersion + " " + fingerprint + " " + shapeBucket + " " + device;
    }
}
