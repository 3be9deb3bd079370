package io.tttv2.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Decision;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.ConfigFingerprint;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Module;
import io.tttv2.api.ops.Device;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.RunnerOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * The configuration dump ({@code --dump-config FILE}, {@code GET /v1/config}): one JSON document with everything
 * that decides how a model runs, in a fixed order so two dumps diff field by field ({@code tttv2 config diff}):
 *
 * <pre>
 * {"tttv2": "0.1.0", "bundles": {bsn: version},
 *  "model": {directory, architecture, vocabSize, hidden, layers, maxSequenceLength},
 *  "runner": {maxBatch, maxSequenceLength, matmulPrecision}, "sampling": {…} (commands that sample),
 *  "device": {name, parallelism, properties},
 *  "assembly": {kind: {requires, candidate, version, tier, why}},
 *  "kvCache": {layers, kvHeads, keyDim, valueDim, blockSize, blocks, dtype, bytesPerToken, bytes},
 *  "modules": {path: {kind, candidate, spec, config, fingerprint, specialization: {hit, source, tuned, message}}},
 *  "workspaces": {path: bytes} (dry runs)}
 * </pre>
 */
public final class ConfigDump {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode root = MAPPER.createObjectNode();

    /**
     * @param effective the assembly the model resolves (its own, the override, the checkpoint's needs)
     */
    public ConfigDump(BundleContext context, ModuleResolver resolver, Path directory, ModelInfo info,
                      RunnerOptions options, Assembly effective) {
        root.put("tttv2", version(context, "io.tttv2.core.api"));
        ObjectNode bundles = root.putObject("bundles");
        Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName() != null)
                .sorted(Comparator.comparing(Bundle::getSymbolicName))
                .forEach(b -> bundles.put(b.getSymbolicName(), b.getVersion().toString()));
        ObjectNode model = root.putObject("model");
        model.put("directory", directory.toAbsolutePath().normalize().toString());
        model.put("architecture", info.architecture());
        model.put("vocabSize", info.vocabSize());
        model.put("hidden", info.hidden());
        model.put("layers", info.layers());
        model.put("maxSequenceLength", info.maxSequenceLength());
        ObjectNode runner = root.putObject("runner");
        runner.put("maxBatch", options.maxBatch());
        runner.put("maxSequenceLength", info.maxSequenceLength());
        runner.put("matmulPrecision", io.tttv2.cli.MatmulPrecisionOption.effective());   // BF16 weights: f32 or bf16
        EnumSet<ModuleKind> kinds = effective.requirements().isEmpty() ? EnumSet.noneOf(ModuleKind.class)
                : EnumSet.copyOf(effective.requirements().keySet());
        kinds.add(ModuleKind.DEVICE);
        Resolution resolution = resolver.resolve(effective, kinds);
        device(context, resolution);
        ObjectNode assembly = root.putObject("assembly");
        for (ModuleKind kind : kinds) {
            ObjectNode k = assembly.putObject(kind.id());
            k.put("requires", effective.requirement(kind).describe());
            if (!effective.requirement(kind).config().isEmpty()) {
                // knob values as JSON spells them (kvDtype by name), not their integer encoding
                Map<String, Object> spelled = new java.util.TreeMap<>();
                effective.requirement(kind).config().forEach((knob, v) -> spelled.put(knob, ModuleConfig.spell(knob, v)));
                k.set("config", RecordJson.of(spelled));
            }
            for (Decision d : resolution.decisions()) {
                if (d.kind() == kind && d.chosen()) {
                    k.put("candidate", d.candidate().name());
                    k.put("version", d.candidate().version());
                    k.put("tier", d.candidate().listedTier().id());
                    k.put("why", d.reason());
                }
            }
        }
        if (!effective.moduleConfig().isEmpty()) {
            root.set("moduleConfig", RecordJson.of(effective.moduleConfig()));
        }
        if (info.kvCache() != null) {
            KvCacheSpec kv = info.kvCache();
            kvCache(kv.withBlocks(kv.blockSize(), options.maxBatch() * kv.blocksFor(info.maxSequenceLength())));
        }
    }

    /** Adds the options a sampling command decodes with. */
    public ConfigDump sampling(Record params) {
        root.set("sampling", RecordJson.of(params));
        return this;
    }

    /** Adds every module by its HF path, with what the specialization table answered for it. */
    public ConfigDump modules(Map<String, Module> modules, Map<String, Specialization> specializations) {
        ObjectNode out = root.putObject("modules");
        modules.forEach((path, m) -> {
            ObjectNode n = out.putObject(path);
            ModuleKind kind = kindOf(m.candidate());
            n.put("kind", kind == null ? "(unknown)" : kind.id());
            n.put("candidate", m.candidate());
            n.set("spec", RecordJson.of(m.spec()));
            n.set("config", RecordJson.of(m.config()));
            if (kind != null && m.spec() != null && m.config() != null) {
                n.put("fingerprint", ConfigFingerprint.of(kind, m.candidate(), m.spec(), m.config()));
            }
            Specialization s = specializations.get(path);
            if (s != null) {
                ObjectNode sp = n.putObject("specialization");
                sp.put("hit", s.hit());
                sp.put("key", s.key().describe());
                if (s.hit()) {
                    sp.put("source", s.source());
                    sp.set("tuned", RecordJson.of(s.tuned()));
                }
                sp.put("message", s.message());
            }
        });
        return this;
    }

    /** Adds a dry run's workspace sizes, by module path. */
    public ConfigDump workspaces(Map<String, Long> bytes) {
        ObjectNode out = root.putObject("workspaces");
        bytes.forEach(out::put);
        out.put("total", bytes.values().stream().mapToLong(Long::longValue).sum());
        return this;
    }

    public ObjectNode json() {
        return root;
    }

    public String text() {
        try {
            return MAPPER.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private void kvCache(KvCacheSpec kv) {
        ObjectNode n = root.putObject("kvCache");
        n.put("layers", kv.layers());
        n.put("kvHeads", kv.kvHeads());
        n.put("keyDim", kv.keyDim());
        n.put("valueDim", kv.valueDim());
        n.put("blockSize", kv.blockSize());
        n.put("blocks", kv.blocks());
        n.put("dtype", kv.dtype().name());
        n.put("bytesPerToken", kv.bytesPerToken());
        n.put("bytes", kv.bytesPerToken() * kv.blockSize() * kv.blocks());
    }

    private void device(BundleContext context, Resolution resolution) {
        ObjectNode n = root.putObject("device");
        Device device;
        try {
            device = resolution.factory(ModuleKind.DEVICE, Device.class);
        } catch (RuntimeException e) {
            n.put("unresolved", e.getMessage());
            return;
        }
        n.put("name", device.name());
        n.put("parallelism", device.parallelism());
        if (resolution.chosen(ModuleKind.DEVICE) != null) {
            n.put("candidate", resolution.chosen(ModuleKind.DEVICE).name());
        }
        // the device service's own properties (its settings), without the framework's bookkeeping
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(Device.class.getName(), null);
            ObjectNode props = n.putObject("properties");
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    if (device.name().equals(ref.getProperty(Device.NAME))) {
                        Map<String, Object> sorted = new TreeMap<>();
                        for (String key : ref.getPropertyKeys()) {
                            if (!key.startsWith("service.") && !key.startsWith("component.")
                                    && !key.equals(Constants.OBJECTCLASS)) {
                                sorted.put(key, ref.getProperty(key));
                            }
                        }
                        sorted.forEach((k, v) -> props.set(k, RecordJson.of(v instanceof Object[] a ? Arrays.asList(a) : v)));
                    }
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kind of a candidate named {@code owner/kind/name}, or null. */
    public static ModuleKind kindOf(String candidate) {
        String[] parts = candidate == null ? new String[0] : candidate.split("/");
        if (parts.length < 3) {
            return null;
        }
        try {
            return ModuleKind.of(parts[1]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String version(BundleContext context, String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b.getVersion().toString();
            }
        }
        return "(unknown)";
    }
}
