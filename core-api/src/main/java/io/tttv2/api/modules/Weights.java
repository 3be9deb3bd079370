package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Lazily loaded weight handles, named with HuggingFace's vocabulary relative to a module
 * ({@code q_proj.weight}, {@code gate_proj.weight}, {@code weight}). Getting a tensor maps it; nothing is
 * converted or copied.
 */
@ConsumerType
public interface Weights {

    /** The tensor named {@code name}; throws naming the checkpoint and the full name if it is missing. */
    Tensor get(String name);

    /** True if {@code name} exists. */
    boolean contains(String name);

    /** The weights under {@code prefix + "."}, named relative to it. */
    Weights scoped(String prefix);
}
