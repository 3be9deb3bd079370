package io.tttv2.models.kit;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.ModuleConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The activation workspaces the core modules allocate, sized from spec and config as they size them: one F32
 * buffer set for a prefill chunk and one for a decode batch. Counted for the MLPs (gate and up, or the one
 * intermediate) and the attentions (q, k, v and the context); other kinds keep row buffers of the hidden width
 * or none, which this leaves out.
 */
final class Workspaces {

    private Workspaces() {
    }

    /** Bytes per module path, for the modules counted. */
    static Map<String, Long> of(Map<String, Module> modules) {
        Map<String, Long> out = new LinkedHashMap<>();
        modules.forEach((path, m) -> {
            long bytes = bytes(m);
            if (bytes > 0) {
                out.put(path, bytes);
            }
        });
        return out;
    }

    private static long bytes(Module m) {
        if (!(m.config() instanceof ModuleConfig c)) {
            return 0;
        }
        long rows = (long) c.prefillChunk() + c.maxBatch();
        return switch (m.spec()) {
            // [rows, I] gate and [rows, I] up (gated), or [rows, I]
            case MlpSpec s -> 4L * rows * s.intermediate() * (s.gated() ? 2 : 1);
            // q [rows, heads·D], k and v [rows, kvHeads·D], context [rows, heads·D]
            case AttentionSpec s -> 4L * rows * ((long) 2 * s.heads() + 2L * s.kvHeads()) * s.headDim();
            default -> 0;
        };
    }
}
