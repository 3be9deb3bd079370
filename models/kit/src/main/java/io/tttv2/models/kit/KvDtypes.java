package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.tensor.DType;
import java.util.Map;

/**
 * The KV cache's element type, one for the whole cache: the {@code kvDtype} knob of the attention kind (or the
 * latent-attention kind) in the assembly, F32 when neither sets it. The configs of the modules that read the cache
 * carry it, so it is in their fingerprints and dumps.
 */
final class KvDtypes {

    private KvDtypes() {
    }

    /** The dtype {@code assembly} asks the KV cache to hold. */
    static DType of(Assembly assembly) {
        for (ModuleKind kind : new ModuleKind[] {ModuleKind.ATTENTION, ModuleKind.LATENT_ATTENTION}) {
            Map<String, Integer> knobs = assembly.requirement(kind).config();
            if (knobs.containsKey("kvDtype")) {
                return ModuleConfig.defaults().with(Map.of("kvDtype", knobs.get("kvDtype"))).kvDtype();
            }
        }
        return DType.F32;
    }

    /** {@code kv} holding {@code dtype}; null stays null (a model without a cache). */
    static KvCacheSpec holding(KvCacheSpec kv, DType dtype) {
        return kv == null ? null : new KvCacheSpec(kv.layers(), kv.kvHeads(), kv.keyDim(), kv.valueDim(), kv.blockSize(),
                kv.blocks(), dtype);
    }
}
