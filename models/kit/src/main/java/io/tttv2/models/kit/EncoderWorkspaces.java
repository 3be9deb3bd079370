package io.tttv2.models.kit;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.Module;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The activation buffers an encoder's modules allocate per call, for one padded batch of {@code maxBatch}
 * sequences of {@code maxSequence} tokens (rows = B·T): the attentions' q, k, v and context, the MLPs' intermediate
 * (gate and up when gated). As {@link Workspaces} does for decoders, other kinds (row buffers of the hidden width)
 * are left out.
 */
final class EncoderWorkspaces {

    private EncoderWorkspaces() {
    }

    /** Bytes per module path, for the modules counted. */
    static Map<String, Long> of(Map<String, Module> modules, int maxBatch, int maxSequence) {
        long rows = (long) maxBatch * maxSequence;
        Map<String, Long> out = new LinkedHashMap<>();
        modules.forEach((path, m) -> {
            long bytes = switch (m.spec()) {
                // q and context [B·T, heads·D], k and v [B·T, kvHeads·D], F32
                case EncoderAttentionSpec s -> attention(rows, s.attention());
                // [B·T, I] gate and [B·T, I] up (gated), or [B·T, I], F32
                case MlpSpec s -> 4L * rows * s.intermediate() * (s.gated() ? 2 : 1);
                case null, default -> 0L;
            };
            if (bytes > 0) {
                out.put(path, bytes);
            }
        });
        return out;
    }

    private static long attention(long rows, AttentionSpec a) {
        return 4L * rows * (2L * a.heads() + 2L * a.kvHeads()) * a.headDim();
    }
}
