package io.tttv2.api.runner;

import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.Module;
import java.util.Map;

/**
 * What loading a checkpoint would build, computed from its config and weight headers alone: no kernel ran and
 * no tensor data was mapped.
 *
 * @param info            the model as a runner would describe it
 * @param modules         every module by its HF path: kind, candidate, spec and config (nothing runs them)
 * @param specializations the specialization table's answer per module path
 * @param kvCache         the KV cache for {@code maxBatch} sequences of the full context (null for an encoder)
 * @param workspaceBytes  bytes of workspace the modules would allocate, by module path
 */
public record DryRun(ModelInfo info, Map<String, Module> modules, Map<String, Specialization> specializations,
                     KvCacheSpec kvCache, Map<String, Long> workspaceBytes) {
}
