package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.assembly.SpecializationKey;
import io.tttv2.api.assembly.Specializations;
import io.tttv2.api.candidate.CandidateDescriptor;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.ConfigFingerprint;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Device;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.tensor.DType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The configuration of each module of one build, computed once when the module is built: the runner's defaults
 * for the device, the assembly's overrides for the kind and then for the module's path, and then the
 * specialization table's tuned knobs if it has an entry for that configuration on this machine. What the table
 * answered is kept per module path (for dumps).
 */
final class ModuleConfigs {

    private final ModuleConfig base;
    private final DType kvDtype;             // the KV cache's: the attention kinds' configs carry it
    private final Assembly assembly;
    private final Resolution resolution;
    private final Specializations table;     // null: no registry (outside a host)
    private final String shapeBucket;
    private final String device;
    private final Map<String, Specialization> answers = new LinkedHashMap<>();

    /** The kinds whose modules read or write the KV cache. */
    private static final Set<ModuleKind> READS_THE_CACHE = EnumSet.of(ModuleKind.ATTENTION, ModuleKind.LATENT_ATTENTION,
            ModuleKind.ATTENTION_BACKEND);

    /**
     * @param base        the runner's defaults ({@link ModuleConfig#defaults(int, int, Device)})
     * @param maxSequence the runner's context, bucketed to a power of two for the table's key
     */
    ModuleConfigs(ModuleConfig base, Assembly assembly, Resolution resolution, Specializations table, int maxSequence,
                  Device device) {
        this.base = ModuleConfig.defaults(base.maxBatch(), base.prefillChunk(), device);
        this.kvDtype = base.kvDtype();
        this.assembly = assembly;
        this.resolution = resolution;
        this.table = table;
        this.shapeBucket = shapeBucket(maxSequence);
        this.device = device.name() + "/" + device.parallelism();
    }

    /** {@code ctx<=N}, N the context rounded up to a power of two. */
    static String shapeBucket(int maxSequence) {
        int n = Integer.highestOneBit(Math.max(1, maxSequence));
        return "ctx<=" + (n == maxSequence ? n : n << 1);
    }

    /**
     * The config the module of {@code kind} at checkpoint path {@code path} with {@code spec} runs with.
     *
     * @throws ModelLoadException naming the path and the knob when an override cannot be applied
     */
    ModuleConfig of(ModuleKind kind, String path, Record spec) {
        // an attention backend's KV tile defaults to what fits the cache for its head dims
        ModuleConfig start = spec instanceof AttentionBackendSpec b
                ? base.withKvTile(ModuleConfig.defaultKvTile(b.headDim(), b.valueDim())) : base;
        if (READS_THE_CACHE.contains(kind)) {
            start = start.withKvDtype(kvDtype);
        }
        ModuleConfig untuned;
        try {
            untuned = start.with(assembly.configFor(kind, path));
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("assembly: module " + path + " (" + kind.id() + "): " + e.getMessage(), e);
        }
        requireCacheDtype(kind, path, untuned);
        CandidateDescriptor candidate = table == null ? null : resolution.chosen(kind);
        if (candidate == null) {
            return untuned;
        }
        SpecializationKey key = new SpecializationKey(kind, candidate.name(), candidate.version(),
                ConfigFingerprint.of(kind, candidate.name(), spec, untuned), shapeBucket, device);
        Specialization answer = table.lookup(key);
        answers.put(path, answer);
        // the assembly's explicit overrides win over the table: a user who pins a knob gets it
        ModuleConfig chosen = answer.hit() ? untuned.with(answer.tuned()).with(assembly.configFor(kind, path)) : untuned;
        requireCacheDtype(kind, path, chosen);
        return chosen;
    }

    /**
     * The KV dtype is the one cache's ({@link KvDtypes#of}): the kinds that read the cache carry it (their
     * fingerprints change with it, the others' do not), and no module may ask for another.
     */
    private void requireCacheDtype(ModuleKind kind, String path, ModuleConfig config) {
        DType expected = READS_THE_CACHE.contains(kind) ? kvDtype : base.kvDtype();
        if (config.kvDtype() != expected) {
            throw new ModelLoadException("assembly: module " + path + " (" + kind.id() + "): knob 'kvDtype' is one for"
                    + " the whole KV cache (set it on the attention kind), expected " + expected + ", found "
                    + config.kvDtype());
        }
    }

    /** The table's answer per module path, in build order. */
    Map<String, Specialization> answers() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(answers));
    }
}
