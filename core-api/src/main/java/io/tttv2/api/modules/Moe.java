package io.tttv2.api.modules;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A mixture-of-experts block; it goes wherever an {@link Mlp} does (x, out [T, hidden]) and counts where its
 * tokens went.
 */
@ConsumerType
public interface Moe extends Mlp {

    /**
     * Tokens routed to each expert since the module was built, prefill and decode together: [experts], a copy.
     * A token counts once for each of its topK experts.
     */
    long[] tokensPerExpert();
}
