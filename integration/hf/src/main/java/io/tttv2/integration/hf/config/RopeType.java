package io.tttv2.integration.hf.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The RoPE variants transformers knows ({@code ROPE_INIT_FUNCTIONS}), by their {@code rope_type} names. A
 * rotary module binds the matching inverse-frequency computation once, when it is built.
 */
@ProviderType
public enum RopeType {
    /** Plain RoPE: {@code inv_freq = theta^(-2i/d)}. */
    DEFAULT("default"),
    /** Positions divided by {@code factor}. */
    LINEAR("linear"),
    /** NTK-aware scaling of theta once the sequence exceeds the original length. */
    DYNAMIC("dynamic"),
    /** YaRN: NTK-by-parts interpolation between {@code beta_fast} and {@code beta_slow}, plus attention scaling. */
    YARN("yarn"),
    /** Phi-3 LongRoPE: per-dimension {@code short_factor} / {@code long_factor}. */
    LONGROPE("longrope"),
    /** Llama 3.1: wavelength-dependent scaling between {@code low_freq_factor} and {@code high_freq_factor}. */
    LLAMA3("llama3");

    private final String hfName;

    RopeType(String hfName) {
        this.hfName = hfName;
    }

    /** The {@code rope_type} string in config.json. */
    public String hfName() {
        return hfName;
    }

    /**
     * The type a config names. Accepts the legacy spelling {@code "su"}, which transformers renamed to
     * {@code "longrope"} (Phi-3 checkpoints still carry it).
     */
    public static Optional<RopeType> fromHfName(String name) {
        String normalised = name.equals("su") ? "longrope" : name;
        return Arrays.stream(values()).filter(t -> t.hfName.equals(normalised)).findFirst();
    }

    static String knownNames() {
        return Arrays.stream(values()).map(RopeType::hfName).collect(Collectors.joining(", "));
    }
}
